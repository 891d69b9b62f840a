package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.analysis.AnalysisResult.Pair;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.PairMember;
import dev.keywarm.schema.plan.WarmPlan;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pairs planted among chance co-reads: five carts always read with their item lists must rank first
 * by lift, above popular keys that co-occur more often only because both are popular; planted
 * counts give exact measures, an impossible count is capped; members that are not pair encodings
 * are skipped and counted.
 */
class CorrelatedPairsTest {

  static AnalysisResult result;
  static final int GARBAGE = 7;

  @BeforeAll
  static void record() {
    Random random = new Random(3);
    int keys = 2_000;
    double[] cdf = Fixtures.zipfCdf(keys, 1.0);
    RangeDataBuilder w = new RangeDataBuilder("pairs");
    for (int h = 0; h < 12; h++) {
      HourBucket hour = Fixtures.START.plusHours(h);
      int[] counts = new int[keys];
      int n = 50_000;
      for (int i = 0; i < n; i++) {
        counts[Fixtures.sample(cdf, random)]++;
      }
      for (int k = 0; k < keys; k++) {
        w.hits(hour, "product:" + k, counts[k]);
      }
      // chance co-reads: about 30 × reads(a) × reads(b) / N, what a read window of ~30 would see
      for (int a = 0; a < 200; a++) {
        for (int b = 0; b < 200; b++) {
          double expected = 30.0 * counts[a] * counts[b] / n;
          long c = Math.round(expected * (0.5 + random.nextDouble()));
          if (a != b && c > 0) {
            w.pair(hour, "product:" + a, "product:" + b, c);
          }
        }
      }
      for (int u = 0; u < 5; u++) {
        w.hits(hour, "cart:" + u, 20);
        w.misses(hour, "cart:" + u + ":items", 20);
        w.pair(hour, "cart:" + u, "cart:" + u + ":items", 19);
      }
    }
    HourBucket first = Fixtures.START;
    for (int g = 0; g < GARBAGE; g++) {
      w.rawPairMember(first, ("not a pair " + g).getBytes(StandardCharsets.UTF_8), 3);
    }
    result =
        Fixtures.analyze(
                w,
                new HourRange(Fixtures.START, Fixtures.START.plusHours(12)),
                AnalysisOptions.defaults().withMinPairSupport(20))
            .result();
  }

  @Test
  void plantedPairsRankFirstByLift() {
    List<Pair> top = result.pairs().top();
    Set<String> firstFive = new HashSet<>();
    for (Pair p : top.subList(0, 5)) {
      firstFive.add(p.a() + " " + p.b());
    }
    for (int u = 0; u < 5; u++) {
      assertTrue(firstFive.contains("cart:" + u + " cart:" + u + ":items"), firstFive.toString());
    }
    Pair planted = top.get(0);
    assertEquals(12 * 19, planted.count(), 1e-9);
    assertEquals(0.95, planted.confidenceAB(), 1e-9); // 19 of 20 reads of the cart
    assertEquals(0, planted.confidenceBA(), 1e-9);
    assertTrue(top.get(5).lift() < planted.lift() / 10, top.get(5) + " vs " + planted);
    // the most co-read pair overall is two popular products, and it must not rank on count alone
    assertTrue(top.get(5).a().startsWith("product:"));
  }

  /**
   * N = 1,000 reads: order 100, its lines 50, a customer 10. customer→order is recorded 25 times,
   * more than the customer was read: capped at 10 in every measure, and counted.
   */
  @Test
  void plantedCountsGiveExactConfidenceAndLiftAndAnImpossibleCountIsCapped() {
    HourBucket hour = Fixtures.START;
    RangeDataBuilder w = new RangeDataBuilder("exact");
    w.hits(hour, "order", 80)
        .misses(hour, "order", 20)
        .hits(hour, "lines", 50)
        .hits(hour, "customer", 10)
        .hits(hour, "filler", 840);
    w.pair(hour, "order", "lines", 40)
        .pair(hour, "lines", "order", 20)
        .pair(hour, "customer", "order", 25)
        .pair(hour, "order", "customer", 5);
    Analysis analysis =
        Fixtures.analyze(w, new HourRange(hour, hour.plusHours(1)), AnalysisOptions.defaults());
    AnalysisResult.Pairs pairs = analysis.result().pairs();

    assertEquals(1, pairs.inconsistentPairs());
    assertEquals(2, pairs.top().size());
    Pair capped = pairs.top().get(0); // lift (5 + 10) × 1,000 / (100 × 10) = 15
    assertEquals(15, capped.count(), 1e-9);
    assertEquals(1.0, confidence(capped, "customer", "order"), 1e-9);
    assertEquals(0.05, confidence(capped, "order", "customer"), 1e-9);
    assertEquals(15, capped.lift(), 1e-9);
    assertEquals(0.015, capped.support(), 1e-9);
    assertTrue(capped.capped());
    Pair consistent = pairs.top().get(1); // lift (40 + 20) × 1,000 / (100 × 50) = 12
    assertEquals(0.4, confidence(consistent, "order", "lines"), 1e-9);
    assertEquals(0.4, confidence(consistent, "lines", "order"), 1e-9);
    assertEquals(12, consistent.lift(), 1e-9);
    assertFalse(consistent.capped());
    // plan score of a→b: count(a→b) × N / (reads(a) × reads(b)), with the capped count
    Map<String, Double> plan = new HashMap<>();
    for (WarmPlan.Entry e : analysis.plan().pairs()) {
      byte[][] ab = PairMember.decode(e.member());
      plan.put(
          new String(ab[0], StandardCharsets.UTF_8)
              + "→"
              + new String(ab[1], StandardCharsets.UTF_8),
          e.score());
    }
    assertEquals(
        Map.of(
            "customer→order", 10.0, "order→customer", 5.0, "order→lines", 8.0, "lines→order", 4.0),
        plan);
    assertTrue(
        analysis.result().notes().stream()
            .anyMatch(
                n -> n.startsWith("ordered pairs (a, b) recorded more often than a was read: 1 ")),
        analysis.result().notes().toString());
  }

  /** confidence(x→y) of a pair shown in either orientation. */
  private static double confidence(Pair p, String x, String y) {
    assertEquals(Set.of(x, y), Set.of(p.a(), p.b()));
    return p.a().equals(x) ? p.confidenceAB() : p.confidenceBA();
  }

  @Test
  void invalidMembersAreSkippedAndCounted() {
    assertEquals(GARBAGE, result.pairs().skippedMembers());
    assertTrue(
        result.notes().stream().anyMatch(n -> n.contains(GARBAGE + " pairs members")),
        result.notes().toString());
  }
}
