package dev.keywarm.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvalidationLogTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Long> asMap(InvalidationLog.Batch batch) {
    Map<String, Long> map = new HashMap<>();
    for (int i = 0; i < batch.keys().size(); i++) {
      map.put(new String(batch.keys().get(i), StandardCharsets.UTF_8), batch.millis()[i]);
    }
    return map;
  }

  @Test
  void keepsTheLatestTimePerKeyAndEmptiesOnTake() {
    InvalidationLog log = new InvalidationLog(10, 1 << 20);
    log.addAll(List.of(b("a"), b("b"), b("a")), 100);
    log.add(b("a"), 90); // an older time never lowers a later one
    log.add(b("b"), 150);
    assertEquals(Map.of("a", 100L, "b", 150L), asMap(log.take()));
    assertTrue(log.take().isEmpty());
  }

  @Test
  void aKeyThatDoesNotFitIsNeverForgottenSilently() {
    InvalidationLog log = new InvalidationLog(2, 1 << 20);
    log.addAll(List.of(b("a"), b("b"), b("c")), 100);
    log.add(b("d"), 120);
    log.add(b("a"), 130); // known keys still update
    InvalidationLog.Batch batch = log.take();
    assertEquals(Map.of("a", 130L, "b", 100L), asMap(batch));
    assertEquals(120, batch.overflowMillis(), "from then on nothing read before is trusted");

    InvalidationLog bytes = new InvalidationLog(100, 3);
    bytes.add(b("ab"), 5);
    bytes.add(b("cd"), 6);
    assertEquals(6, bytes.take().overflowMillis(), "the byte bound holds too");
  }

  @Test
  void aBatchThatCouldNotBePublishedGoesBackMerged() {
    InvalidationLog log = new InvalidationLog(10, 1 << 20);
    log.add(b("a"), 100);
    InvalidationLog.Batch unpublished = log.take();
    log.add(b("a"), 200);
    log.add(b("b"), 50);
    log.putBack(unpublished);
    assertEquals(Map.of("a", 200L, "b", 50L), asMap(log.take()));
  }
}
