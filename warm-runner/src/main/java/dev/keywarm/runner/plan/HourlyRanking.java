package dev.keywarm.runner.plan;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * The fallback ranking while no analyzer plan exists: reads = hits + misses per key, summed over the
 * last {@code historyDays} × 24 UTC hours (this hour included), aggregated client-side from
 * {@code ZSCAN} pages of {@value #SCAN_COUNT}. Keys read in this hour of day come first (by their
 * reads in those hours), then the rest by total reads; with {@code nextHour}, the next hour of day's
 * keys close the list. Memory is one map entry per distinct key in the window, which the agent's
 * per-window {@code maxkeys} bound keeps finite; nothing is written to Redis (no temporary keys).
 */
final class HourlyRanking {

  private static final int SCAN_COUNT = 1_000;

  private final UnifiedJedis stats;
  private final KeySchema schema;

  HourlyRanking(UnifiedJedis stats, KeySchema schema) {
    this.stats = stats;
    this.schema = schema;
  }

  WarmPlan rank(Instant now, PlanOptions options) {
    HourBucket current = HourBucket.of(now);
    int thisHour = current.hourOfDay();
    int nextHour = current.plusHours(1).hourOfDay();
    Map<KeyBytes, double[]> reads = new HashMap<>(); // [overall, this hour of day, next hour of day]
    int hours = options.historyDays() * 24;
    for (int back = 0; back < hours; back++) {
      HourBucket hour = current.plusHours(-back);
      int slot = hour.hourOfDay() == thisHour ? 1 : hour.hourOfDay() == nextHour ? 2 : 0;
      for (HourlySet set : new HourlySet[] {HourlySet.HITS, HourlySet.MISSES}) {
        scan(PlanReader.bytes(schema.hourly(hour, set)), reads, slot);
      }
    }
    Set<KeyBytes> seen = new HashSet<>();
    List<PlanEntry> primary = new ArrayList<>();
    take(reads, 1, PlanEntry.Source.HOUR, options.maxKeys(), seen, primary);
    take(reads, 0, PlanEntry.Source.OVERALL, options.maxKeys(), seen, primary);
    List<PlanEntry> next = new ArrayList<>();
    if (options.nextHour()) {
      take(reads, 2, PlanEntry.Source.NEXT_HOUR, options.maxKeys() - primary.size(), seen, next);
    }
    return new WarmPlan("hourly sets, last " + options.historyDays() + " days (no plan yet)",
        primary, PairIndex.EMPTY, next, Double.NaN);
  }

  private void scan(byte[] key, Map<KeyBytes, double[]> reads, int slot) {
    byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
    ScanParams params = new ScanParams().count(SCAN_COUNT);
    do {
      ScanResult<Tuple> page = stats.zscan(key, cursor, params);
      for (Tuple t : page.getResult()) {
        double[] counts = reads.computeIfAbsent(new KeyBytes(t.getBinaryElement()), k -> new double[3]);
        counts[0] += t.getScore();
        if (slot > 0) {
          counts[slot] += t.getScore();
        }
      }
      cursor = page.getCursorAsBytes();
    } while (!isStart(cursor));
  }

  private static boolean isStart(byte[] cursor) {
    return cursor.length == 1 && cursor[0] == '0';
  }

  /** Appends unseen keys with a positive count in {@code slot}, highest first, until {@code limit}. */
  private static void take(Map<KeyBytes, double[]> reads, int slot, PlanEntry.Source source,
      int limit, Set<KeyBytes> seen, List<PlanEntry> out) {
    if (out.size() >= limit) {
      return;
    }
    List<Map.Entry<KeyBytes, double[]>> ranked = new ArrayList<>();
    for (Map.Entry<KeyBytes, double[]> e : reads.entrySet()) {
      if (e.getValue()[slot] > 0 && !seen.contains(e.getKey())) {
        ranked.add(e);
      }
    }
    ranked.sort((a, b) -> Double.compare(b.getValue()[slot], a.getValue()[slot]));
    for (Map.Entry<KeyBytes, double[]> e : ranked) {
      if (out.size() >= limit) {
        return;
      }
      seen.add(e.getKey());
      out.add(new PlanEntry(e.getKey().bytes(), e.getValue()[slot], source));
    }
  }
}
