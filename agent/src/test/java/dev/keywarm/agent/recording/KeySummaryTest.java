package dev.keywarm.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.StoredKey;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySummaryTest {

  private static final HourBucket HOUR = HourBucket.parse("2026112310");

  private static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, long[]> byKey(WindowSnapshot s) {
    Map<String, long[]> map = new HashMap<>();
    for (int i = 0; i < s.size(); i++) {
      map.put(
          new String(s.members()[i], StandardCharsets.ISO_8859_1),
          new long[] {s.hits()[i], s.misses()[i], s.writes()[i], s.loads()[i], s.loadNanos()[i]});
    }
    return map;
  }

  @Test
  void exactBelowCapacityAndKeysAreCopied() {
    KeySummary summary = new KeySummary(100, HOUR);
    byte[] mutable = key("user:1");
    summary.add(mutable, EventKind.MISS, 0);
    summary.add(key("user:1"), EventKind.WRITE, 0);
    summary.add(key("user:1"), EventKind.LOAD, 1500);
    summary.add(key("user:1"), EventKind.HIT, 0);
    summary.add(key("user:2"), EventKind.HIT, 0);
    mutable[0] = 'X'; // the application reusing its array must not corrupt the summary
    Map<String, long[]> counts =
        byKey(summary.snapshotAndReset(HOUR.plusHours(1), 0, 0, new PairSummary(0)));
    assertEquals(2, counts.size());
    long[] user1 = counts.get("user:1");
    assertEquals(1, user1[0]);
    assertEquals(1, user1[1]);
    assertEquals(1, user1[2]);
    assertEquals(1, user1[3]);
    assertEquals(1500, user1[4]);
    assertEquals(0, summary.size());
    assertEquals(HOUR.plusHours(1), summary.hour());
  }

  @Test
  void aLoadForAnUnknownKeyIsIgnored() {
    KeySummary summary = new KeySummary(10, HOUR);
    summary.add(key("k"), EventKind.LOAD, 10);
    assertEquals(0, summary.size());
  }

  @Test
  void growsBeyondItsInitialArrays() {
    KeySummary summary = new KeySummary(50_000, HOUR);
    for (int i = 0; i < 50_000; i++) {
      summary.add(key("k" + i), EventKind.HIT, 0);
      summary.add(key("k" + i), EventKind.HIT, 0);
    }
    WindowSnapshot s = summary.snapshotAndReset(HOUR, 0, 0, new PairSummary(0));
    assertEquals(50_000, s.size());
    assertEquals(0, s.totals().droppedHits());
    for (long hits : s.hits()) {
      assertEquals(2, hits);
    }
  }

  /** Space-Saving's guarantee: keys above N/capacity survive; what is evicted is counted. */
  @Test
  void keepsHeavyHittersUnderKeyExplosionAndCountsWhatItDrops() {
    int capacity = 1000;
    KeySummary summary = new KeySummary(capacity, HOUR);
    Random random = new Random(42);
    long total = 0;
    Map<String, Long> heavy = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      String k;
      if (random.nextInt(10) < 3) {
        k = "hot:" + random.nextInt(50); // 30 % of traffic on 50 keys: ~1200 each
        heavy.merge(k, 1L, Long::sum);
      } else {
        k = "cold:" + i; // every other event a new key
      }
      summary.add(key(k), EventKind.HIT, 0);
      total++;
    }
    WindowSnapshot s = summary.snapshotAndReset(HOUR, 0, 0, new PairSummary(0));
    assertEquals(capacity, s.size());
    Map<String, long[]> counts = byKey(s);
    long threshold = total / capacity;
    long kept = 0;
    for (Map.Entry<String, Long> e : heavy.entrySet()) {
      assertTrue(e.getValue() > threshold);
      long[] c = counts.get(e.getKey());
      assertTrue(c != null, "heavy hitter evicted: " + e.getKey());
      assertTrue(c[0] <= e.getValue(), "flushed counts never overestimate");
      assertTrue(
          c[0] >= e.getValue() - threshold, "undercount beyond N/capacity for " + e.getKey());
    }
    for (long[] c : counts.values()) {
      kept += c[0];
    }
    assertEquals(
        total, kept + s.totals().droppedHits(), "every event is either kept or counted as dropped");
  }

  @Test
  void truncatesLongKeysAndCountsThem() {
    KeySummary summary = new KeySummary(10, HOUR);
    byte[] longKey = new byte[5000];
    java.util.Arrays.fill(longKey, (byte) 'z');
    summary.add(longKey, EventKind.HIT, 0);
    summary.add(longKey.clone(), EventKind.HIT, 0);
    WindowSnapshot s = summary.snapshotAndReset(HOUR, 0, 0, new PairSummary(0));
    assertEquals(1, s.size());
    assertEquals(StoredKey.MAX_BYTES, s.members()[0].length);
    assertEquals(2, s.hits()[0]);
    assertEquals(1, s.totals().truncatedKeys());
  }

  @Test
  void aHashFieldMemberLongerThanAStoredKeyStaysWhole() {
    KeySummary summary = new KeySummary(10, HOUR);
    byte[] field = new byte[500];
    java.util.Arrays.fill(field, (byte) 'f');
    byte[] member = FieldMember.encode(key("products"), field); // 516 bytes, nothing truncated
    summary.add(member, EventKind.MISS, 0);
    summary.add(member.clone(), EventKind.HIT, 0);
    WindowSnapshot s = summary.snapshotAndReset(HOUR, 0, 0, new PairSummary(0));
    assertEquals(1, s.size());
    assertTrue(java.util.Arrays.equals(member, s.members()[0]));
    assertEquals(1, s.hits()[0]);
    assertEquals(1, s.misses()[0]);
    assertEquals(0, s.totals().truncatedKeys());
  }

  @Test
  void aFieldCountedByItsPartsIsTheSameEntryAsItsMember() {
    KeySummary summary = new KeySummary(10, HOUR);
    summary.add(key("user:1"), key("profile"), EventKind.MISS, 0);
    summary.add(key("user:1"), key("profile"), EventKind.WRITE, EventKind.TTL_UNKNOWN);
    summary.add(FieldMember.encode(key("user:1"), key("profile")), EventKind.HIT, 0);
    summary.add(key("user:1"), key("profile"), EventKind.HIT, 0);
    summary.add(key("user:1"), EventKind.HIT, 0); // the hash's key: another entry
    summary.add(key("user:"), key("1profile"), EventKind.HIT, 0); // another split: another field
    WindowSnapshot s = summary.snapshotAndReset(HOUR, 0, 0, new PairSummary(0));
    assertEquals(3, s.size());
    assertTrue(
        java.util.Arrays.equals(FieldMember.encode(key("user:1"), key("profile")), s.members()[0]));
    assertEquals(2, s.hits()[0]);
    assertEquals(1, s.misses()[0]);
    assertEquals(1, s.writes()[0]);
  }

  @Test
  void staysWithinItsByteBudgetAndCountsWhatItEvicts() {
    long budget = 64 * 1024;
    KeySummary summary = new KeySummary(100_000, budget, HOUR);
    byte[] hot = key("hot");
    long total = 0;
    for (int i = 0; i < 5_000; i++) {
      byte[] big = new byte[StoredKey.MAX_BYTES];
      java.util.Arrays.fill(big, (byte) 'k');
      byte[] id = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      System.arraycopy(id, 0, big, 0, id.length);
      summary.add(big, EventKind.HIT, 0);
      summary.add(hot, EventKind.HIT, 0);
      total += 2;
      assertTrue(summary.memberBytes() <= budget, "over budget: " + summary.memberBytes());
    }
    WindowSnapshot s = summary.snapshotAndReset(HOUR, 0, 0, new PairSummary(0));
    assertTrue(s.size() < 5_000 && s.size() > 50, "kept " + s.size());
    long kept = 0;
    for (long h : s.hits()) {
      kept += h;
    }
    assertEquals(total, kept + s.totals().droppedHits(), "every event kept or counted as dropped");
    assertEquals(5_000L, byKey(s).get("hot")[0], "the hottest key is never evicted for its size");
  }

  @Test
  void deletesCountForTrackedKeysOnlyAndNeverPushAReadKeyOut() {
    java.util.concurrent.atomic.AtomicLong untracked = new java.util.concurrent.atomic.AtomicLong();
    KeySummary summary = new KeySummary(2, HOUR);
    summary.countRemovals(true, untracked);
    summary.add(key("hot:1"), EventKind.HIT, 0);
    summary.add(key("hot:2"), EventKind.HIT, 0);
    summary.add(key("hot:1"), EventKind.INVALIDATE, EventKind.DELETED);
    for (int i = 0; i < 50; i++) {
      summary.add(key("lock:" + i), EventKind.INVALIDATE, EventKind.DELETED);
    }
    summary.add(key("hot:2"), EventKind.INVALIDATE, 0); // an expiry change, not a delete
    WindowSnapshot window = summary.snapshotAndReset(HOUR, 0, 0, new PairSummary(0));
    assertEquals(2, window.size(), "the read keys stay");
    Map<String, Long> removals = new HashMap<>();
    for (int i = 0; i < window.size(); i++) {
      removals.put(new String(window.members()[i], StandardCharsets.UTF_8), window.removals()[i]);
    }
    assertEquals(Map.of("hot:1", 1L, "hot:2", 0L), removals);
    assertEquals(50, untracked.get(), "deletes of untracked keys are counted apart");
  }

  @Test
  void anEvictedKeysDeletesAreCountedApart() {
    java.util.concurrent.atomic.AtomicLong untracked = new java.util.concurrent.atomic.AtomicLong();
    KeySummary summary = new KeySummary(1, HOUR);
    summary.countRemovals(true, untracked);
    summary.add(key("a"), EventKind.HIT, 0);
    summary.add(key("a"), EventKind.INVALIDATE, EventKind.DELETED);
    summary.add(key("b"), EventKind.HIT, 0); // evicts a
    summary.add(key("b"), EventKind.HIT, 0);
    assertEquals(1, untracked.get());
  }
}
