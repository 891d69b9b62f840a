package dev.keywarm.agent.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.schema.HourBucket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlushBacklogTest {

  private static final HourBucket HOUR = HourBucket.parse("2026120109");

  /** A window of keys k0..k(n-1) where key i was read (i + 1) * reads times. */
  private static WindowSnapshot window(HourBucket hour, int n, long reads) {
    byte[][] members = new byte[n][];
    long[] hits = new long[n];
    for (int i = 0; i < n; i++) {
      members[i] = ("k" + i).getBytes(StandardCharsets.UTF_8);
      hits[i] = (i + 1) * reads;
    }
    return new WindowSnapshot(
        hour,
        members,
        hits,
        new long[n],
        new long[n],
        new long[n],
        new long[n],
        new WindowTotals(0, 0, 0, 3, 2, 0, 0, 0),
        new byte[0][],
        new long[0]);
  }

  private static Map<String, Long> hits(WindowSnapshot w) {
    Map<String, Long> hits = new HashMap<>();
    for (int i = 0; i < w.size(); i++) {
      hits.put(new String(w.members()[i], StandardCharsets.UTF_8), w.hits()[i]);
    }
    return hits;
  }

  @Test
  void windowsOfOneHourMergeSoAnOutageCostsTheHoursKeysOnce() {
    FlushBacklog backlog = new FlushBacklog(100, Long.MAX_VALUE);
    for (int i = 0; i < 6; i++) {
      backlog.add(window(HOUR, 80, 1));
    }
    assertEquals(80, backlog.entries());
    WindowSnapshot merged = backlog.poll();
    assertEquals(6 * 80L, hits(merged).get("k79"));
    assertEquals(18, merged.totals().lostEvents(), "totals are summed too");
    assertEquals(0, backlog.unwrittenEvents());
    assertNull(backlog.poll());
  }

  @Test
  void aFullBacklogCutsTheColdestKeysAndCountsThem() {
    FlushBacklog backlog = new FlushBacklog(50, Long.MAX_VALUE);
    backlog.add(window(HOUR, 80, 1)); // reads: 1 + 2 + ... + 80 = 3240
    assertEquals(80, backlog.entries(), "a fresh window waiting alone is never cut");
    backlog.add(window(HOUR, 80, 1)); // an outage: the hour's windows merge, and now it is cut
    assertEquals(50, backlog.entries());
    WindowSnapshot cut = backlog.poll();
    Map<String, Long> kept = hits(cut);
    assertEquals(50, kept.size());
    assertTrue(kept.containsKey("k79") && !kept.containsKey("k29"), "the hottest keys stay");
    long keptReads = kept.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(2 * 3240, keptReads + cut.totals().unwrittenReads(), "every read kept or counted");
    assertEquals(cut.totals().unwrittenReads(), backlog.unwrittenEvents());
  }

  @Test
  void theByteBoundCutsTheOldestWindowFirst() {
    long oneWindow = window(HOUR, 40, 1).heapBytes();
    FlushBacklog backlog = new FlushBacklog(1_000, oneWindow + oneWindow / 2);
    backlog.add(window(HOUR, 40, 1));
    backlog.add(window(HOUR.plusHours(1), 40, 1));
    WindowSnapshot older = backlog.poll();
    WindowSnapshot newer = backlog.poll();
    assertTrue(
        older.size() < 40 && older.totals().unwrittenReads() > 0, "older cut: " + older.size());
    assertEquals(40, newer.size());
  }
}
