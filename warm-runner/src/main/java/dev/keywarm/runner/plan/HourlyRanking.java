package dev.keywarm.runner.plan;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.PlanField;
import dev.keywarm.schema.plan.PlanMeta;
import dev.keywarm.schema.plan.WarmPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * The fallback plan while no analyzer plan exists: reads = hits + misses per key over the last
 * {@code historyDays} × 24 UTC hours, aggregated client-side from {@code ZSCAN} pages of {@value
 * #SCAN_COUNT}. The hours are {@link HourRange}'s rule with the current hour included: a warm right
 * after an application's first run has no complete hour yet, and this fallback exists for exactly
 * that; {@code ZSCAN} is what the rule asks for an hour being written, and each member is counted
 * once per set. The plan ranks keys overall by total reads, and for this hour of day (and with
 * {@code nextHour} the next) by their reads at that hour of day. Each hour is read in every shard
 * its meta names ({@link HourShards}), a pipelined {@code ZCARD} first skipping the empty sets, and
 * a key's counts are summed over the shards that hold it. Memory is one map entry per distinct key
 * in the window, which the agent's per-window {@code maxkeys} bound keeps finite; nothing is
 * written to Redis (no temporary keys).
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
    Map<KeyBytes, double[]> reads =
        new HashMap<>(); // [overall, this hour of day, next hour of day]
    List<HourBucket> range = HourRange.recent(options.historyDays(), current, true).list();
    List<byte[]> sets = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    for (HourShards hour : HourShards.of(stats, schema, range)) {
      int hourOfDay = hour.hour().hourOfDay();
      int slot = hourOfDay == thisHour ? 1 : hourOfDay == nextHour ? 2 : 0;
      for (KeySchema.Shard shard : hour.shards()) {
        for (HourlySet set : new HourlySet[] {HourlySet.HITS, HourlySet.MISSES}) {
          sets.add(PlanReader.bytes(schema.hourly(hour.hour(), set, shard)));
          slots.add(slot);
        }
      }
    }
    List<Response<Long>> cards = new ArrayList<>(sets.size());
    try (AbstractPipeline pipeline = stats.pipelined()) {
      sets.forEach(set -> cards.add(pipeline.zcard(set)));
      pipeline.sync();
    }
    for (int i = 0; i < sets.size(); i++) {
      if (cards.get(i).get() > 0) {
        scan(sets.get(i), reads, slots.get(i)); // a key's counts summed over the shards holding it
      }
    }
    List<List<WarmPlan.Entry>> hours = new ArrayList<>();
    for (int h = 0; h < WarmPlan.HOURS_OF_DAY; h++) {
      boolean wanted = h == thisHour || (h == nextHour && options.nextHour());
      hours.add(wanted ? ranked(reads, h == thisHour ? 1 : 2, options.maxKeys()) : List.of());
    }
    PlanMeta meta =
        PlanMeta.EMPTY.with(
            PlanField.RANKED_BY,
            "hourly sets, last " + options.historyDays() + " days (no plan yet)");
    return new WarmPlan(ranked(reads, 0, options.maxKeys()), hours, List.of(), meta);
  }

  private void scan(byte[] key, Map<KeyBytes, double[]> reads, int slot) {
    Set<KeyBytes> seen = new HashSet<>(); // ZSCAN may return a member twice
    byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
    ScanParams params = new ScanParams().count(SCAN_COUNT);
    do {
      ScanResult<Tuple> page = stats.zscan(key, cursor, params);
      for (Tuple t : page.getResult()) {
        KeyBytes member = new KeyBytes(t.getBinaryElement());
        if (!seen.add(member)) {
          continue;
        }
        double[] counts = reads.computeIfAbsent(member, k -> new double[3]);
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

  /** Keys with a positive count in {@code slot}, highest first, at most {@code limit}. */
  private static List<WarmPlan.Entry> ranked(Map<KeyBytes, double[]> reads, int slot, int limit) {
    List<Map.Entry<KeyBytes, double[]>> ranked = new ArrayList<>();
    for (Map.Entry<KeyBytes, double[]> e : reads.entrySet()) {
      if (e.getValue()[slot] > 0) {
        ranked.add(e);
      }
    }
    ranked.sort((a, b) -> Double.compare(b.getValue()[slot], a.getValue()[slot]));
    List<WarmPlan.Entry> out = new ArrayList<>(Math.min(limit, ranked.size()));
    for (Map.Entry<KeyBytes, double[]> e : ranked.subList(0, Math.min(limit, ranked.size()))) {
      out.add(new WarmPlan.Entry(e.getKey().bytes(), e.getValue()[slot]));
    }
    return out;
  }
}
