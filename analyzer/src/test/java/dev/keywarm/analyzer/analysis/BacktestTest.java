package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.analysis.AnalysisResult.BacktestRow;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Expected coverage is measured on held-out hours: for steady Zipf traffic it must equal the share
 * computed here independently from the generated counts; for traffic of keys read once it must be
 * near zero and the verdict must say warming will help little.
 */
class BacktestTest {

  static final RangeDataBuilder steadyApp = new RangeDataBuilder("steady");
  static final RangeDataBuilder flatApp = new RangeDataBuilder("flat");
  static final int HOURS = 48; // 12 held out
  static final int KEYS = 3_000;
  static int[][] steady = new int[HOURS][KEYS];

  @BeforeAll
  static void record() {
    Random random = new Random(11);
    double[] cdf = Fixtures.zipfCdf(KEYS, 0.9);
    for (int h = 0; h < HOURS; h++) {
      HourBucket hour = Fixtures.START.plusHours(h);
      for (int i = 0; i < 10_000; i++) {
        steady[h][Fixtures.sample(cdf, random)]++;
      }
      for (int k = 0; k < KEYS; k++) {
        steadyApp.hits(hour, "k:" + k, steady[h][k]);
      }
      for (int i = 0; i < 500; i++) {
        flatApp.misses(hour, "once:" + h + ":" + i, 1);
      }
      flatApp.hits(hour, "config", 1); // one key read every hour: not enough to matter
    }
  }

  @Test
  void steadyTrafficCoverageMatchesAnIndependentCount() {
    AnalysisResult r =
        Fixtures.analyze(
                steadyApp,
                new HourRange(Fixtures.START, Fixtures.START.plusHours(HOURS)),
                AnalysisOptions.defaults().withPlanK(300))
            .result();
    assertEquals(12, r.backtest().testHours());
    assertEquals(36, r.backtest().trainHours());
    double[] train = new double[KEYS];
    double[] test = new double[KEYS];
    for (int h = 0; h < HOURS; h++) {
      for (int k = 0; k < KEYS; k++) {
        (h < 36 ? train : test)[k] += steady[h][k];
      }
    }
    Integer[] order = IntStream.range(0, KEYS).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -train[k]).thenComparing(k -> -k));
    double covered = 0;
    for (int i = 0; i < 300; i++) {
      covered += test[order[i]];
    }
    double expected = covered / Arrays.stream(test).sum();
    BacktestRow row =
        r.backtest().rows().stream().filter(x -> x.k() == 300).findFirst().orElseThrow();
    assertEquals(expected, row.coverage(), 0.002); // ties among equal counts may order differently
    assertTrue(row.oracle() >= row.coverage());
    assertEquals(expected, r.plan().expectedCoverage(), 0.002);
    assertFalse(r.backtest().helpsLittle(), r.backtest().verdict());
    assertEquals(
        12, r.backtest().hourly().size(), "each held-out hour has earlier days of its hour");
  }

  @Test
  void keysReadOnceSayWarmingHelpsLittle() {
    AnalysisResult r =
        Fixtures.analyze(
                flatApp,
                new HourRange(Fixtures.START, Fixtures.START.plusHours(HOURS)),
                AnalysisOptions.defaults().withPlanK(1000))
            .result();
    double coverage = r.plan().expectedCoverage();
    assertTrue(coverage < 0.01, "coverage " + coverage); // only "config" repeats: 1 of 501 reads
    assertTrue(r.backtest().helpsLittle());
    assertTrue(
        r.backtest().verdict().startsWith("Warming will help little"), r.backtest().verdict());
    assertTrue(r.totals().shareOfKeysReadOnce() > 0.99);
  }
}
