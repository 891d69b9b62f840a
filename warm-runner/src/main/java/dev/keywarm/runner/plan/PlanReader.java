package dev.keywarm.runner.plan;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * Reads the warm order from the stats Redis. With a plan ({@code plan:current} set by the analyzer):
 * this UTC hour of day's plan, then the overall plan, then pairs at or above the lift threshold, and
 * optionally the next hour's plan; each read highest score first in pages of {@value #PAGE}, stopping
 * at {@code maxKeys}. Without a plan, {@link HourlyRanking} derives one from the raw hourly sets: that
 * fallback exists until the analyzer writes plans, and has no pairs.
 */
public final class PlanReader {

  static final int PAGE = 5_000;

  private final UnifiedJedis stats;
  private final KeySchema schema;

  public PlanReader(UnifiedJedis stats, KeySchema schema) {
    this.stats = stats;
    this.schema = schema;
  }

  public WarmPlan read(Instant now, PlanOptions options) {
    String generation = stats.get(schema.currentPlan());
    if (generation == null) {
      return new HourlyRanking(stats, schema).rank(now, options);
    }
    HourBucket hour = HourBucket.of(now);
    Set<KeyBytes> seen = new HashSet<>();
    List<PlanEntry> primary = new ArrayList<>();
    readRanked(schema.planHour(generation, hour.hourOfDay()), PlanEntry.Source.HOUR,
        options.maxKeys(), seen, primary);
    readRanked(schema.planOverall(generation), PlanEntry.Source.OVERALL, options.maxKeys(), seen,
        primary);
    List<PlanEntry> nextHour = new ArrayList<>();
    if (options.nextHour()) {
      readRanked(schema.planHour(generation, hour.plusHours(1).hourOfDay()),
          PlanEntry.Source.NEXT_HOUR, options.maxKeys() - primary.size(), seen, nextHour);
    }
    List<Tuple> pairs = stats.zrevrangeByScoreWithScores(bytes(schema.planPairs(generation)),
        Double.POSITIVE_INFINITY, options.minPairLift(), 0, options.maxKeys());
    List<byte[]> members = new ArrayList<>(pairs.size());
    pairs.forEach(t -> members.add(t.getBinaryElement()));
    Map<String, String> meta = stats.hgetAll(schema.planMeta(generation));
    return new WarmPlan("plan " + generation, primary, PairIndex.fromMembers(members), nextHour,
        parseOrNaN(meta.get("expected_coverage")));
  }

  /** Appends up to {@code limit} in total (counting what {@code out} holds) unseen members, best first. */
  private void readRanked(String key, PlanEntry.Source source, int limit, Set<KeyBytes> seen,
      List<PlanEntry> out) {
    byte[] name = bytes(key);
    for (int offset = 0; out.size() < limit; offset += PAGE) {
      // by rank, not by score with LIMIT: an offset costs O(offset) per page, a rank O(log n)
      List<Tuple> page = stats.zrevrangeWithScores(name, offset, offset + PAGE - 1);
      for (Tuple t : page) {
        if (out.size() < limit && seen.add(new KeyBytes(t.getBinaryElement()))) {
          out.add(new PlanEntry(t.getBinaryElement(), t.getScore(), source));
        }
      }
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  static byte[] bytes(String keywarmKey) {
    return keywarmKey.getBytes(StandardCharsets.UTF_8);
  }

  private static double parseOrNaN(String value) {
    try {
      return value == null ? Double.NaN : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
