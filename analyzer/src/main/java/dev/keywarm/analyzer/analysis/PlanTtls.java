package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.read.PatternTtls;
import dev.keywarm.schema.KeyPattern;
import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.schema.ttl.TtlHistogram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TTL each planned key is warmed with ({@link WarmPlan#ttls}, ms): the key's own, as the
 * application last set it in range, else its pattern's {@link TtlHistogram#typicalMillis} (none if
 * most of the pattern's writes set none, else their median). A key with neither gets no entry: the
 * runner then knows nothing, rather than a guess.
 */
final class PlanTtls {

  private PlanTtls() {}

  /**
   * @param ownMillis per key, its own TTL ({@link WarmPlan#NO_TTL}: none; NaN: not seen), or null
   *     when no key's own TTL was looked up
   */
  static List<WarmPlan.Entry> of(List<byte[]> keys, double[] ownMillis, PatternTtls patterns) {
    Map<String, Long> typical = new HashMap<>();
    List<WarmPlan.Entry> entries = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      byte[] key = keys.get(i);
      if (ownMillis != null && !Double.isNaN(ownMillis[i])) {
        entries.add(new WarmPlan.Entry(key, ownMillis[i]));
        continue;
      }
      long millis = typical.computeIfAbsent(KeyPattern.of(key), p -> typicalMillis(patterns, p));
      if (millis != 0) {
        entries.add(new WarmPlan.Entry(key, millis < 0 ? WarmPlan.NO_TTL : millis));
      }
    }
    return entries;
  }

  /** The pattern's typical TTL, ms; -1 none, 0 nothing known. */
  private static long typicalMillis(PatternTtls patterns, String pattern) {
    TtlHistogram histogram = patterns.of(pattern);
    return histogram == null ? 0 : histogram.typicalMillis();
  }
}
