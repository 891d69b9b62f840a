package dev.keywarm.runner.plan;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.plan.PlanCodec;
import dev.keywarm.schema.plan.WarmPlan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * Reads the plan to warm from the stats Redis: with an analyzer plan ({@code plan:current}), the
 * parts a warm at this hour needs — this UTC hour of day's plan, the next hour's when asked, the
 * overall plan and the pairs at or above the lift threshold, at most {@code maxKeys} of each (what
 * and how: {@link PlanCodec}). Without one, {@link HourlyRanking} derives a plan from the raw
 * hourly sets: that fallback exists until the analyzer writes plans, and has no pairs.
 */
public final class PlanReader {

  private final UnifiedJedis stats;
  private final KeySchema schema;

  public PlanReader(UnifiedJedis stats, KeySchema schema) {
    this.stats = stats;
    this.schema = schema;
  }

  public WarmPlan read(Instant now, PlanOptions options) {
    HourBucket hour = HourBucket.of(now);
    List<Integer> hours = new ArrayList<>(List.of(hour.hourOfDay()));
    if (options.nextHour()) {
      hours.add(hour.plusHours(1).hourOfDay());
    }
    WarmPlan plan =
        PlanCodec.read(
            schema,
            new PlanCodec.Query(hours, options.maxKeys(), options.minPairLift()),
            new Reads());
    return plan != null ? plan : new HourlyRanking(stats, schema).rank(now, options);
  }

  /** The codec's reads over the stats client. */
  private final class Reads implements PlanCodec.Reads {

    @Override
    public String get(String key) {
      return stats.get(key);
    }

    @Override
    public List<WarmPlan.Entry> byRank(String key, long start, long stop) {
      return entries(stats.zrevrangeWithScores(bytes(key), start, stop));
    }

    @Override
    public List<WarmPlan.Entry> byScore(String key, double min, int count) {
      return entries(
          stats.zrevrangeByScoreWithScores(bytes(key), Double.POSITIVE_INFINITY, min, 0, count));
    }

    @Override
    public Map<String, String> hgetAll(String key) {
      return stats.hgetAll(key);
    }

    private List<WarmPlan.Entry> entries(List<Tuple> tuples) {
      List<WarmPlan.Entry> entries = new ArrayList<>(tuples.size());
      tuples.forEach(t -> entries.add(new WarmPlan.Entry(t.getBinaryElement(), t.getScore())));
      return entries;
    }
  }

  static byte[] bytes(String keywarmKey) {
    return keywarmKey.getBytes(StandardCharsets.UTF_8);
  }
}
