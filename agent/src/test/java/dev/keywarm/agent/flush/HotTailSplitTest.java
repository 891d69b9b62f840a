package dev.keywarm.agent.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.agent.recording.EventKind;
import dev.keywarm.agent.recording.TailTable;
import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.PairMember;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotTailSplitTest {

  private static final HourBucket HOUR = HourBucket.parse("2026120109");
  private static final long HOUR_START = HOUR.epochHour() * 3_600_000L;

  private final AtomicLong clock = new AtomicLong(HOUR_START + 1000);
  private final List<WindowSnapshot> flushed = new ArrayList<>();

  private HotTailSplit split(int hotKeys, int tailKeys, long tailMillis) {
    return new HotTailSplit(
        hotKeys, tailMillis, new TailTable(tailKeys, 1L << 20, 100), flushed::add, clock::get);
  }

  /** One key's counters in a synthetic window. */
  private record Entry(String key, long hits, long misses, long writes, long loads, long ttl) {}

  private static Entry read(String key, long hits) {
    return new Entry(key, hits, 0, 0, 0, EventKind.TTL_UNKNOWN);
  }

  private static WindowSnapshot window(HourBucket hour, WindowTotals totals, Entry... entries) {
    int n = entries.length;
    byte[][] members = new byte[n][];
    long[][] c = new long[6][n];
    for (int i = 0; i < n; i++) {
      Entry e = entries[i];
      members[i] = e.key.getBytes(StandardCharsets.UTF_8);
      c[0][i] = e.hits;
      c[1][i] = e.misses;
      c[2][i] = e.writes;
      c[3][i] = e.loads * 1000;
      c[4][i] = e.loads;
      c[5][i] = e.ttl;
    }
    return new WindowSnapshot(
        hour, members, c[0], c[1], c[2], c[3], c[4], totals, new byte[0][], new long[0], c[5]);
  }

  private static String key(WindowSnapshot w, int i) {
    return new String(w.members()[i], StandardCharsets.UTF_8);
  }

  @Test
  void theKthLargestIsFoundAmongTies() {
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      int n = 1 + random.nextInt(60);
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = random.nextInt(round % 2 == 0 ? 5 : 1000);
      }
      long[] sorted = a.clone();
      Arrays.sort(sorted);
      int k = 1 + random.nextInt(n);
      assertEquals(sorted[n - k], HotTailSplit.kthLargest(a.clone(), n, k), Arrays.toString(a));
    }
  }

  @Test
  void theHeaviestKeysGoAtOnceWithTheWindowsTotalsAndTheRestWaitsForTheTail() {
    HotTailSplit split = split(2, 100, 300_000);
    WindowTotals totals = new WindowTotals(1, 2, 3, 4, 5, 6, 0, 0);
    split.accept(window(HOUR, totals, read("a", 1), read("b", 9), read("c", 5), read("d", 2)));
    assertEquals(1, flushed.size());
    WindowSnapshot hot = flushed.get(0);
    assertEquals(List.of("b", "c"), List.of(key(hot, 0), key(hot, 1)));
    assertEquals(9, hot.hits()[0]);
    assertEquals(totals, hot.totals());
    assertEquals(2, split.tailKeys());

    clock.addAndGet(300_000);
    split.accept(window(HOUR, WindowTotals.NONE, read("a", 1)));
    assertEquals(3, flushed.size(), "the hot part, the tail that was due, the next hot part");
    WindowSnapshot tail = flushed.get(1);
    Map<String, Long> tailHits = new HashMap<>();
    for (int i = 0; i < tail.size(); i++) {
      tailHits.put(key(tail, i), tail.hits()[i]);
    }
    assertEquals(
        Map.of("a", 1L, "d", 2L), tailHits, "the first window's rest, due before the next");
    assertEquals(WindowTotals.NONE, tail.totals());
    assertEquals(0, split.tailKeys());
  }

  /**
   * A stream of windows over a Zipf-like keyspace, a tail table far too small: per key, what
   * reaches the flusher plus what the totals count as dropped is exactly what went in.
   */
  @Test
  void everyCountReachesTheFlusherExactlyOnceOrIsCountedAsDropped() {
    HotTailSplit split = split(5, 40, 50_000);
    Random random = new Random(42);
    Map<String, long[]> in = new HashMap<>();
    WindowTotals inTotals = WindowTotals.NONE;
    for (int w = 0; w < 200; w++) {
      Map<String, long[]> counts = new HashMap<>();
      for (int e = 0; e < 300; e++) {
        String k =
            random.nextInt(4) == 0
                ? "hot"
                : "k" + (int) Math.floor(Math.pow(500, random.nextDouble()));
        long[] c = counts.computeIfAbsent(k, x -> new long[3]);
        c[random.nextInt(3)]++;
      }
      List<Entry> entries = new ArrayList<>();
      counts.forEach(
          (k, c) -> entries.add(new Entry(k, c[0], c[1], c[2], 0, EventKind.TTL_UNKNOWN)));
      counts.forEach(
          (k, c) -> {
            long[] sum = in.computeIfAbsent(k, x -> new long[3]);
            for (int i = 0; i < 3; i++) {
              sum[i] += c[i];
            }
          });
      WindowTotals totals = new WindowTotals(w, 2 * w, 0, 1, 1, 0, 0, 0);
      inTotals = inTotals.plus(totals);
      split.accept(window(HOUR, totals, entries.toArray(new Entry[0])));
      clock.addAndGet(10_000);
    }
    split.drainTail();

    Map<String, long[]> out = new HashMap<>();
    WindowTotals outTotals = WindowTotals.NONE;
    for (WindowSnapshot window : flushed) {
      assertEquals(HOUR, window.hour());
      outTotals = outTotals.plus(window.totals());
      for (int i = 0; i < window.size(); i++) {
        long[] sum = out.computeIfAbsent(key(window, i), x -> new long[3]);
        sum[0] += window.hits()[i];
        sum[1] += window.misses()[i];
        sum[2] += window.writes()[i];
      }
    }
    long[] inSum = new long[3];
    long[] outSum = new long[3];
    for (Map.Entry<String, long[]> e : in.entrySet()) {
      long[] got = out.getOrDefault(e.getKey(), new long[3]);
      for (int i = 0; i < 3; i++) {
        assertTrue(got[i] <= e.getValue()[i], "never an overestimate: " + e.getKey());
        inSum[i] += e.getValue()[i];
        outSum[i] += got[i];
      }
    }
    WindowTotals tailDropped = outTotals.plus(negated(inTotals));
    assertTrue(tailDropped.droppedEvents() > 0, "the small table evicted: " + tailDropped);
    assertEquals(inSum[0], outSum[0] + tailDropped.droppedHits());
    assertEquals(inSum[1], outSum[1] + tailDropped.droppedMisses());
    assertEquals(inSum[2], outSum[2] + tailDropped.droppedWrites());
    assertEquals(inTotals.lostEvents(), outTotals.lostEvents(), "the windows' totals go once");
    // the hottest key, in every window's hot part, is exact
    assertEquals(Arrays.toString(in.get("hot")), Arrays.toString(out.get("hot")));
  }

  private static WindowTotals negated(WindowTotals t) {
    return new WindowTotals(
        -t.droppedHits(),
        -t.droppedMisses(),
        -t.droppedWrites(),
        -t.lostEvents(),
        -t.lostReads(),
        -t.truncatedKeys(),
        -t.unwrittenReads(),
        -t.unwrittenWrites());
  }

  @Test
  void anEvictedTailKeysCountsGoToTheDroppedTotals() {
    HotTailSplit split = split(0, 2, 300_000);
    split.accept(
        window(
            HOUR,
            WindowTotals.NONE,
            new Entry("a", 10, 0, 0, 0, EventKind.TTL_UNKNOWN),
            new Entry("b", 1, 2, 3, 0, EventKind.TTL_UNKNOWN),
            new Entry("c", 7, 0, 1, 0, EventKind.TTL_UNKNOWN)));
    split.drainTail();
    WindowSnapshot tail = flushed.get(flushed.size() - 1);
    assertEquals(2, tail.size());
    assertEquals(new WindowTotals(1, 2, 3, 0, 0, 0, 0, 0), tail.totals(), "b was the lightest");
  }

  @Test
  void theHourTurnWritesTheEndedHoursTailForItsOwnHourBeforeAnythingOfTheNext() {
    HotTailSplit split = split(1, 100, 3_600_000);
    HourBucket next = HourBucket.ofEpochMillis(HOUR_START + 3_600_000);
    split.accept(window(HOUR, WindowTotals.NONE, read("hot", 10), read("cold", 1)));
    assertEquals(1, flushed.size(), "the tail waits");
    // the aggregator seals the ended hour's last window once the clock is in the next hour
    clock.set(HOUR_START + 3_600_000 + 5);
    split.accept(window(HOUR, WindowTotals.NONE, read("hot", 10), read("cold", 2)));
    assertEquals(3, flushed.size());
    WindowSnapshot tail = flushed.get(2);
    assertEquals(HOUR, tail.hour());
    assertEquals(List.of("cold"), List.of(key(tail, 0)));
    assertEquals(3, tail.hits()[0]);

    split.accept(window(next, WindowTotals.NONE, read("hot", 10), read("cold", 4)));
    split.drainTail();
    WindowSnapshot nextTail = flushed.get(flushed.size() - 1);
    assertEquals(next, nextTail.hour());
    assertEquals(4, nextTail.hits()[0], "nothing of the ended hour in the next");
  }

  @Test
  void aWindowOfAnotherHourFirstEmptiesTheTable() {
    HotTailSplit split = split(0, 100, 3_600_000);
    HourBucket next = HourBucket.ofEpochMillis(HOUR_START + 3_600_000);
    split.accept(window(HOUR, WindowTotals.NONE, read("k", 1)));
    clock.set(HOUR_START + 3_600_000 + 20_000);
    split.accept(window(next, WindowTotals.NONE, read("k", 2)));
    assertEquals(1, flushed.size());
    assertEquals(HOUR, flushed.get(0).hour());
    assertEquals(1, flushed.get(0).hits()[0]);
  }

  @Test
  void theLatestWordOnAKeysExpiryWinsWhicheverWayItGoes() {
    HotTailSplit split = split(1, 100, 3_600_000);
    // window 1: k cold with TTL 1000; window 2: k hot with TTL 2000 (written at once)
    split.accept(
        window(HOUR, WindowTotals.NONE, read("big", 50), new Entry("k", 0, 1, 1, 1, 1000)));
    split.accept(window(HOUR, WindowTotals.NONE, new Entry("k", 0, 0, 1, 0, 2000)));
    split.drainTail();
    WindowSnapshot tail = flushed.get(flushed.size() - 1);
    assertEquals("k", key(tail, 0));
    assertEquals(EventKind.TTL_UNKNOWN, tail.ttls()[0], "the older TTL must not overwrite 2000");
    assertEquals(1, tail.loads()[0]);
    assertEquals(1000, tail.loadNanos()[0]);

    // cold again with a newer TTL, then cold without a word on it: the newer one stays
    split.accept(
        window(HOUR, WindowTotals.NONE, read("big", 50), new Entry("k", 0, 0, 1, 0, 3000)));
    split.accept(window(HOUR, WindowTotals.NONE, read("big", 50), read("k", 1)));
    split.drainTail();
    tail = flushed.get(flushed.size() - 1);
    assertEquals(3000, tail.ttls()[0]);
    assertEquals(1, tail.writes()[0]);
  }

  @Test
  void pairsWaitForTheTail() {
    HotTailSplit split = split(10, 100, 3_600_000);
    byte[] pair = PairMember.encode(new byte[] {'a'}, new byte[] {'b'});
    WindowSnapshot base = window(HOUR, WindowTotals.NONE, read("a", 1));
    WindowSnapshot withPairs =
        new WindowSnapshot(
            HOUR,
            base.members(),
            base.hits(),
            base.misses(),
            base.writes(),
            base.loadNanos(),
            base.loads(),
            base.totals(),
            new byte[][] {pair},
            new long[] {3},
            base.ttls());
    split.accept(withPairs);
    split.accept(withPairs);
    assertEquals(0, flushed.get(0).pairs().length, "the hot part carries no pairs");
    split.drainTail();
    WindowSnapshot tail = flushed.get(flushed.size() - 1);
    assertEquals(0, tail.size());
    assertEquals(6, tail.pairCounts()[0]);
  }

  @Test
  void anInternalErrorHandsTheWindowWholeAndCountsTheTailAsLost() {
    HotTailSplit split = split(0, 100, 3_600_000);
    split.accept(window(HOUR, WindowTotals.NONE, new Entry("a", 2, 1, 4, 0, -1)));
    WindowSnapshot good = window(HOUR, WindowTotals.NONE, read("b", 3));
    WindowSnapshot broken =
        new WindowSnapshot(
            HOUR,
            good.members(),
            new long[0], // inconsistent: the split fails half-way
            good.misses(),
            good.writes(),
            good.loadNanos(),
            good.loads(),
            good.totals(),
            good.pairs(),
            good.pairCounts(),
            good.ttls());
    split.accept(broken);
    assertEquals(1, split.failures());
    assertEquals(2, flushed.size());
    assertEquals(new WindowTotals(0, 0, 0, 7, 3, 0, 0, 0), flushed.get(0).totals());
    assertTrue(broken == flushed.get(1), "the window whole");
    assertEquals(0, split.tailKeys());
    split.accept(good); // and it goes on
    split.drainTail();
    assertEquals(3, flushed.get(flushed.size() - 1).hits()[0]);
  }
}
