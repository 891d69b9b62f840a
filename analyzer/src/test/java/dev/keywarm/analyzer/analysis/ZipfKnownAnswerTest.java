package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourRange;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads sampled from a Zipf law with a known exponent, recorded hour by hour as the agent writes
 * them, must come back as that exponent within ±0.05 — and the coverage targets must match the
 * sample's own.
 */
class ZipfKnownAnswerTest {

  static final int KEYS = 10_000;
  static final int READS = 1_000_000;

  @ParameterizedTest
  @ValueSource(doubles = {0.8, 1.0, 1.2})
  void recoversTheExponent(double alpha) {
    String app = "zipf" + (int) (alpha * 10);
    Random random = new Random(42 + (long) (alpha * 10));
    double[] cdf = Fixtures.zipfCdf(KEYS, alpha);
    // key names carry no rank: rank r is key perm[r]
    int[] perm = new int[KEYS];
    for (int i = 0; i < KEYS; i++) {
      perm[i] = i;
    }
    for (int i = KEYS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[][] hits = new int[24][KEYS];
    int[][] misses = new int[24][KEYS];
    int[] total = new int[KEYS];
    for (int i = 0; i < READS; i++) {
      int key = perm[Fixtures.sample(cdf, random)];
      int hour = random.nextInt(24);
      if (random.nextInt(10) == 0) {
        misses[hour][key]++;
      } else {
        hits[hour][key]++;
      }
      total[key]++;
    }
    RangeDataBuilder w = new RangeDataBuilder(app);
    for (int h = 0; h < 24; h++) {
      for (int k = 0; k < KEYS; k++) {
        w.hits(Fixtures.START.plusHours(h), "item:" + k, hits[h][k]);
        w.misses(Fixtures.START.plusHours(h), "item:" + k, misses[h][k]);
      }
    }

    AnalysisResult r =
        Fixtures.analyze(
                w,
                new HourRange(Fixtures.START, Fixtures.START.plusHours(24)),
                AnalysisOptions.defaults())
            .result();

    assertEquals(alpha, r.zipf().alpha(), 0.05, r.zipf().toString().substring(0, 300));
    assertTrue(r.zipf().r2() > 0.95, "R² " + r.zipf().r2());
    assertTrue(r.zipf().zipfLike());
    assertEquals(
        String.format(java.util.Locale.ROOT, "good fit (R² %.3f)", r.zipf().r2()), r.zipf().fit());
    assertEquals(READS, r.totals().reads(), 1e-6);
    // the k for 90 % must be the sample's own, computed here independently
    int[] sorted = java.util.Arrays.stream(total).map(x -> -x).sorted().map(x -> -x).toArray();
    long sum = 0;
    int k90 = 0;
    while (sum < 0.9 * READS) {
      sum += sorted[k90++];
    }
    assertEquals(k90, r.coverage().targets().get(1).k());
    assertEquals(null, r.coverage().targets().get(1).memoryBytes());
  }
}
