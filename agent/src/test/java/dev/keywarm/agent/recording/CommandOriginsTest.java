package dev.keywarm.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CommandOriginsTest {

  private final CommandOrigins origins = new CommandOrigins();

  private static long tag(int thread) {
    return (long) thread << 32;
  }

  @Test
  void aCommandKeepsTheThreadThatIssuedIt() {
    Object first = new Object();
    Object second = new Object();
    origins.issued(first, tag(3));
    origins.issued(second, tag(70_000));
    assertEquals(tag(3), origins.originOf(first));
    assertEquals(tag(70_000), origins.originOf(second));
  }

  @Test
  void aCommandNeverIssuedHasNoOrigin() {
    assertEquals(CommandOrigins.UNKNOWN, origins.originOf(new Object()));
  }

  @Test
  void aCommandWhoseSlotWasTakenLosesItsOriginInsteadOfTakingAnothers() {
    Object first = new Object();
    Object rival;
    do {
      rival = new Object();
    } while (slot(rival) != slot(first)
        || System.identityHashCode(rival) == System.identityHashCode(first));
    origins.issued(first, tag(1));
    origins.issued(rival, tag(2));
    assertEquals(CommandOrigins.UNKNOWN, origins.originOf(first));
    assertEquals(tag(2), origins.originOf(rival));
  }

  private static int slot(Object command) {
    return System.identityHashCode(command) & (CommandOrigins.SLOTS - 1);
  }
}
