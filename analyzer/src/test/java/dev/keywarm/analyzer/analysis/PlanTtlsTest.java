package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keywarm.analyzer.read.PatternTtls;
import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.schema.ttl.TtlHistogram;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A planned key's TTL: its own first (none included), else its pattern's typical one, else no entry
 * at all.
 */
class PlanTtlsTest {

  static final double UNKNOWN = Double.NaN;

  static PatternTtls patterns() {
    PatternTtls p = new PatternTtls();
    p.add(
        Map.of(
            TtlHistogram.field("user:{n}", 600_000), "8",
            TtlHistogram.field("user:{n}", 3_600_000), "3",
            TtlHistogram.field("user:{n}", TtlHistogram.NONE), "4",
            TtlHistogram.field("cfg:{n}", TtlHistogram.NONE), "3",
            TtlHistogram.field("cfg:{n}", 60_000), "2"));
    return p;
  }

  @Test
  void ownThenPatternThenNothing() {
    List<byte[]> keys = keys("user:1", "user:2", "user:3", "cfg:1", "cfg:2", "other:1");
    double[] own = {45_000, WarmPlan.NO_TTL, UNKNOWN, UNKNOWN, 250, UNKNOWN};
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("user:1", 45_000.0); // its own beats its pattern's
    expected.put("user:2", WarmPlan.NO_TTL); // its own "none" too
    expected.put("user:3", 600_000.0); // the median of the pattern's writes with a TTL
    expected.put("cfg:1", WarmPlan.NO_TTL); // 3 of 5 writes without TTL: none
    expected.put("cfg:2", 250.0);
    assertEquals(expected, asMap(PlanTtls.of(keys, own, patterns())));
  }

  @Test
  void withoutOwnTtlsEveryKeyGetsItsPatterns() {
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("user:1", 600_000.0);
    expected.put("cfg:9", WarmPlan.NO_TTL);
    assertEquals(
        expected, asMap(PlanTtls.of(keys("user:1", "cfg:9", "other:1"), null, patterns())));
  }

  private static List<byte[]> keys(String... keys) {
    List<byte[]> out = new ArrayList<>();
    for (String k : keys) {
      out.add(k.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Map<String, Double> asMap(List<WarmPlan.Entry> entries) {
    Map<String, Double> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(new String(e.member(), StandardCharsets.UTF_8), e.score()));
    return out;
  }
}
