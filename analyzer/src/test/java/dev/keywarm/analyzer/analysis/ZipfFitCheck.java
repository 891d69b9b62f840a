package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.Fixtures;
import java.util.Arrays;
import java.util.Random;

/**
 * Not a test: prints how closely {@link ZipfFit} recovers α from Zipf samples (10⁶ reads over 10⁴
 * keys, no Redis in between), next to least squares, for the figures in analyzer/README.md. {@code
 * analyzer/scripts/run-test-main.sh dev.keywarm.analyzer.analysis.ZipfFitCheck}
 */
public final class ZipfFitCheck {

  public static void main(String[] args) {
    for (double alpha : new double[] {0.8, 1.0, 1.2}) {
      Random random = new Random(42 + (long) (alpha * 10));
      double[] cdf = Fixtures.zipfCdf(10_000, alpha);
      double[] counts = new double[10_000];
      for (int i = 0; i < 1_000_000; i++) {
        counts[Fixtures.sample(cdf, random)]++;
      }
      double[] sorted =
          Arrays.stream(counts).filter(x -> x > 0).map(x -> -x).sorted().map(x -> -x).toArray();
      AnalysisResult.Zipf z = ZipfFit.fit(sorted);
      System.out.printf(
          "α %.1f: MLE %.3f (R² %.4f, ranks 1..%d); least squares same ranks %.3f, all ranks %.3f%n",
          alpha,
          z.alpha(),
          z.r2(),
          z.rankTo(),
          z.alphaLeastSquares(),
          z.alphaLeastSquaresAllRanks());
    }
  }
}
