package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.Coverage;
import dev.keywarm.analyzer.analysis.AnalysisResult.CoveragePoint;
import dev.keywarm.analyzer.analysis.AnalysisResult.CoverageTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * Share of all reads that the top k keys receive, for k on a 1-2-5 grid up to every key, and the
 * smallest k that reaches 80/90/95/99 % (exact, from the cumulative sum over keys sorted by reads).
 * Memory for those keys needs value sizes, which the agent does not record yet: reported as null
 * with a note rather than guessed.
 */
final class CoverageCurve {

  static final double[] TARGETS = {0.80, 0.90, 0.95, 0.99};
  static final String MEMORY_NOTE =
      "value sizes are not recorded (the agent counts reads, not bytes), "
          + "so the memory the top-k keys need is not known and memoryBytes is null; --sample-value-sizes "
          + "with the cache Redis URL estimates it";

  private CoverageCurve() {}

  /**
   * @param reads reads per key, sorted descending
   */
  static Coverage of(double[] reads) {
    int n = reads.length;
    double[] cumulative = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += reads[i];
      cumulative[i] = sum;
    }
    List<CoveragePoint> curve = new ArrayList<>();
    for (long k : grid(n)) {
      curve.add(new CoveragePoint(k, sum == 0 ? 0 : cumulative[(int) k - 1] / sum));
    }
    List<CoverageTarget> targets = new ArrayList<>();
    for (double t : TARGETS) {
      int k = 0;
      while (k < n && cumulative[k] < t * sum - 1e-9 * sum) {
        k++;
      }
      targets.add(new CoverageTarget(t, Math.min(n, k + 1L), null, 0, 0));
    }
    return new Coverage(curve, targets, MEMORY_NOTE);
  }

  /**
   * Estimates each target's memory from value sizes: up to {@code samples} keys spread evenly over
   * ranks 1..k (every (k/samples)-th key, so the head and the tail both count), mean size of those
   * found in the cache × k. Keys not in the cache right now are left out of the mean.
   */
  static Coverage withMemory(
      Coverage coverage,
      int[] ranked,
      java.util.function.IntFunction<byte[]> key,
      dev.keywarm.analyzer.read.ValueSizes sizes,
      int samples) {
    List<CoverageTarget> targets = new ArrayList<>();
    for (CoverageTarget t : coverage.targets()) {
      int k = (int) t.k();
      int m = Math.min(k, samples);
      List<byte[]> keys = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        keys.add(key.apply(ranked[(int) ((long) i * k / m)]));
      }
      long[] bytes = sizes.sizes(keys);
      long sum = 0;
      int found = 0;
      for (long b : bytes) {
        if (b >= 0) {
          sum += b;
          found++;
        }
      }
      Long memory = found == 0 ? null : Math.round((double) sum / found * k);
      targets.add(new CoverageTarget(t.share(), t.k(), memory, m, found));
    }
    return new Coverage(
        coverage.curve(),
        targets,
        "estimated with "
            + sizes.source()
            + ": mean size of up "
            + "to "
            + samples
            + " keys spread over ranks 1..k that are in the cache now, × k");
  }

  /** 1, 2, 5, 10, 20, 50, … below n, then n. */
  static List<Long> grid(long n) {
    List<Long> ks = new ArrayList<>();
    for (long decade = 1; decade < n; decade *= 10) {
      for (long m : new long[] {1, 2, 5}) {
        if (decade * m < n) {
          ks.add(decade * m);
        }
      }
    }
    if (n > 0) {
      ks.add(n);
    }
    return ks;
  }
}
