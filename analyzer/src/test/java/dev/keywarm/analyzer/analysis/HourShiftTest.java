package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.analysis.AnalysisResult.HourOfDay;
import dev.keywarm.analyzer.analysis.AnalysisResult.SpecificKey;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.plan.WarmPlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three days of a steady catalogue read every hour, plus keys that are hot only at 08–09 UTC
 * (reports) and only at 20–22 UTC (promotions): those must be found as hour-specific in exactly
 * their hours, lead those hours' plans, and the steady top keys must be the core.
 */
class HourShiftTest {

  static AnalysisResult result;
  static WarmPlan plan;
  static final Set<Integer> REPORT_HOURS = Set.of(8, 9);
  static final Set<Integer> PROMO_HOURS = Set.of(20, 21, 22);

  @BeforeAll
  static void record() {
    Random random = new Random(7);
    double[] cdf = Fixtures.zipfCdf(500, 1.0);
    RangeDataBuilder w = new RangeDataBuilder("shift");
    for (int day = 0; day < 3; day++) {
      for (int h = 0; h < 24; h++) {
        HourBucket hour = Fixtures.START.plusHours(24L * day + h);
        int[] counts = new int[500];
        for (int i = 0; i < 20_000; i++) {
          counts[Fixtures.sample(cdf, random)]++;
        }
        for (int k = 0; k < 500; k++) {
          w.hits(hour, "product:" + k, counts[k]);
        }
        for (int j = 0; j < 5; j++) {
          if (REPORT_HOURS.contains(h)) {
            w.hits(hour, "report:daily:" + j, 400 + random.nextInt(50));
          }
          if (PROMO_HOURS.contains(h)) {
            w.misses(hour, "promo:" + j, 300 + random.nextInt(50));
          }
        }
      }
    }
    Analysis a =
        Fixtures.analyze(
            w,
            new HourRange(Fixtures.START, Fixtures.START.plusHours(72)),
            AnalysisOptions.defaults().withHourSetSize(50));
    result = a.result();
    plan = a.plan();
  }

  @Test
  void hourSpecificKeysAreFoundInTheirHoursOnly() {
    assertEquals(24, result.hourly().hours().size());
    for (HourOfDay h : result.hourly().hours()) {
      Set<String> specific =
          h.specific().stream().map(SpecificKey::key).collect(Collectors.toSet());
      for (int j = 0; j < 5; j++) {
        assertEquals(
            REPORT_HOURS.contains(h.hour()),
            specific.contains("report:daily:" + j),
            "hour " + h.hour() + ": " + specific);
        assertEquals(
            PROMO_HOURS.contains(h.hour()),
            specific.contains("promo:" + j),
            "hour " + h.hour() + ": " + specific);
      }
      assertEquals(3, h.days());
    }
    SpecificKey first = result.hourly().hours().get(8).specific().get(0);
    assertTrue(first.key().startsWith("report:daily:"), first.toString());
    assertEquals(1.0, first.shareOfKeyReads(), 0.51); // half its reads are at 08, half at 09
    assertTrue(first.lift() > 10, "lift " + first.lift());
  }

  @Test
  void steadyTopKeysAreTheCore() {
    List<String> core = result.hourly().core().stream().map(AnalysisResult.CoreKey::key).toList();
    for (int k = 0; k < 5; k++) {
      assertTrue(core.contains("product:" + k), core.toString());
    }
    assertFalse(
        core.stream().anyMatch(k -> k.startsWith("report") || k.startsWith("promo")),
        core.toString());
  }

  @Test
  void hourPlansCarryThatHoursKeys() {
    // a promo key gets ~320 reads an hour, between product ranks ~9 and ~10: it must rank right
    // there
    List<String> at20 =
        plan.hours().get(20).subList(0, 20).stream()
            .map(e -> new String(e.member(), StandardCharsets.UTF_8))
            .toList();
    assertEquals(5, at20.stream().filter(k -> k.startsWith("promo:")).count(), at20.toString());
    List<String> at3 =
        plan.hours().get(3).stream()
            .map(e -> new String(e.member(), StandardCharsets.UTF_8))
            .toList();
    assertFalse(at3.stream().anyMatch(k -> k.startsWith("promo:") || k.startsWith("report:")));
  }

  @Test
  void dayOfWeekNeedsTwoWeeks() {
    assertFalse(result.hourly().dayOfWeek().available());
  }
}
