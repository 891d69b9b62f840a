package dev.keywarm.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.PairMember;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoAccessTrackerTest {

  private final PairSummary pairs = new PairSummary(100);
  private final CoAccessTracker tracker = new CoAccessTracker(8, 200, pairs);

  private void read(int thread, long millis, String key) {
    byte[] member = key.getBytes(StandardCharsets.UTF_8);
    tracker.read(thread, millis, member, java.util.Arrays.hashCode(member));
  }

  private Map<String, Long> counts() {
    Map<String, Long> counts = new HashMap<>();
    byte[][] encoded = pairs.encodedPairs();
    long[] values = pairs.counts();
    for (int i = 0; i < encoded.length; i++) {
      byte[][] pair = PairMember.decode(encoded[i]);
      counts.put(
          new String(pair[0], StandardCharsets.UTF_8)
              + ">"
              + new String(pair[1], StandardCharsets.UTF_8),
          values[i]);
    }
    return counts;
  }

  @Test
  void pairsReadsOfOneThreadWithinTheWindowInOrder() {
    for (int i = 0; i < 5; i++) {
      long t = i * 1000L;
      read(1, t, "user:1");
      read(1, t + 10, "cart:1");
      read(1, t + 20, "user:1"); // a repeat refreshes, never pairs with itself
    }
    Map<String, Long> counts = counts();
    assertEquals(5L, counts.get("user:1>cart:1"));
    assertEquals(5L, counts.get("cart:1>user:1"));
    assertEquals(2, counts.size(), counts.toString());
  }

  @Test
  void eachReadOfAPairsAtMostOncePerB() {
    // a b b b a b c b: reads of a = 2, each followed by b → a>b = 2 (not 5, one per read of b);
    // b>a: the second a follows reads of b → 1; c follows a (2nd), b → a>c = 1, b>c = 1; c>b = 1.
    assertEquals(
        Map.of("a>b", 2L, "b>a", 1L, "a>c", 1L, "b>c", 1L, "c>b", 1L),
        countsAfter(tracker, "a", "b", "b", "b", "a", "b", "c", "b"));
  }

  @Test
  void aFullWindowForgetsTheOldestReadAndStillCountsOncePerRead() {
    // a window of 2 keys: c pairs with a and b, then takes a's place; d comes after a was forgotten
    // a is forgotten before d comes: no a>d; reads of b: 3, the first two followed by c → b>c = 2;
    // reads of c: 2, both followed by b → c>b = 2
    assertEquals(
        Map.of("a>b", 1L, "a>c", 1L, "b>c", 2L, "c>b", 2L, "b>d", 1L, "c>d", 1L),
        countsAfter(new CoAccessTracker(2, 200, pairs), "a", "b", "c", "b", "c", "b", "d"));
  }

  /** One thread reads the keys in order, a millisecond apart; the pair counts that result. */
  private Map<String, Long> countsAfter(CoAccessTracker tracker, String... keys) {
    for (int i = 0; i < keys.length; i++) {
      byte[] member = keys[i].getBytes(StandardCharsets.UTF_8);
      tracker.read(1, i, member, java.util.Arrays.hashCode(member));
    }
    return counts();
  }

  @Test
  void readsFartherApartOrOnOtherThreadsDoNotPair() {
    read(1, 0, "a");
    read(2, 10, "b"); // another thread
    read(1, 500, "c"); // too late for "a"
    assertTrue(counts().isEmpty(), counts().toString());
  }

  @Test
  void readsOfAnUnknownThreadNeverPair() {
    read(CommandOrigins.UNKNOWN_THREAD, 0, "a");
    read(CommandOrigins.UNKNOWN_THREAD, 10, "b");
    assertTrue(counts().isEmpty(), counts().toString());
  }

  @Test
  void staysWithinItsCapacity() {
    PairSummary small = new PairSummary(10);
    CoAccessTracker bounded = new CoAccessTracker(8, 200, small);
    for (int i = 0; i < 1000; i++) {
      byte[] member = ("k" + i).getBytes(StandardCharsets.UTF_8);
      bounded.read(1, i, member, java.util.Arrays.hashCode(member));
    }
    assertEquals(10, small.encodedPairs().length);
  }
}
