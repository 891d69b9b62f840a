package dev.keywarm.agent.warm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gate's state is static (one per JVM): the cases run in order, in one method. */
class ReadinessGateTest {

  private enum ReadinessState {
    ACCEPTING_TRAFFIC,
    REFUSING_TRAFFIC
  }

  @Test
  void closesOpensTimesOutAndNeverClosesOnAnApplicationAlreadyServing() throws Exception {
    ReadinessGate.close(60_000);
    assertTrue(ReadinessGate.refusing());
    assertTrue(
        ReadinessGate.refusingState(ReadinessState.class) == ReadinessState.REFUSING_TRAFFIC);
    ReadinessGate.readOpen(ReadinessState.ACCEPTING_TRAFFIC); // read while closed: not "served"
    ReadinessGate.open("ready");
    assertFalse(ReadinessGate.refusing());

    ReadinessGate.close(30);
    assertTrue(ReadinessGate.refusing());
    Thread.sleep(60);
    assertFalse(ReadinessGate.refusing(), "the timeout opens it");

    ReadinessGate.readOpen(ReadinessState.ACCEPTING_TRAFFIC); // the application served, open
    ReadinessGate.close(60_000);
    assertFalse(ReadinessGate.refusing(), "a serving application is never taken out");
  }
}
