package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.RankPoint;
import dev.keywarm.analyzer.analysis.AnalysisResult.Zipf;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fits a Zipf law, reads(r) ∝ r^−α, to the rank–frequency curve of reads.
 *
 * <p>Method: maximum likelihood for a discrete power law truncated to ranks 1..R. Each read is
 * taken as a draw of a rank r ≤ R with P(r) = r^−α / Σ_{i≤R} i^−α; the log-likelihood is concave in
 * α, and its maximum is where the model's mean ln r equals the observed mean ln r — found by
 * bisection on α ∈ [0, 6] to 1e-6. R is the last rank with at least {@value #MIN_READS} reads:
 * below that, sampling noise and the sorting of near-equal counts bend the empirical curve (the
 * flat tail of keys read once or twice), and a fit over it measures the sample size more than the
 * law. If fewer than {@value #MIN_RANKS} ranks qualify, all ranks are used and the result says so.
 *
 * <p>Also reported: the ordinary least-squares slope of ln reads on ln rank over the same ranks,
 * over all ranks (the figure most published trace studies quote), and R² of the MLE line in log–log
 * space (intercept fitted by least squares at the MLE slope), which says how straight the curve is.
 *
 * <p>α summarises the curve only if the curve is a line in log–log space. Below R² {@value
 * #ZIPF_LIKE_R2} it is not (plateaus, a bent head, a flat curve: R² near 0 means the line explains
 * nothing), α is called not meaningful and the reports lead with coverage instead; from {@value
 * #GOOD_FIT_R2} the fit is good. The judgement in words, {@link #fitInWords}, is the one the
 * reports print.
 */
final class ZipfFit {

  static final double MIN_READS = 10;
  static final int MIN_RANKS = 10;
  static final double ZIPF_LIKE_R2 = 0.8;
  static final double GOOD_FIT_R2 = 0.95;
  private static final int PLOT_POINTS = 120;

  private ZipfFit() {}

  /**
   * @param reads reads per key, sorted descending, all > 0
   */
  static Zipf fit(double[] reads) {
    int n = reads.length;
    if (n < 3) {
      return new Zipf(
          "too few keys to fit",
          Double.NaN,
          Double.NaN,
          false,
          fitInWords(Double.NaN),
          Double.NaN,
          Double.NaN,
          Double.NaN,
          0,
          0,
          n,
          List.of());
    }
    int r = 0;
    while (r < n && reads[r] >= MIN_READS) {
      r++;
    }
    boolean allRanks = r < MIN_RANKS;
    int ranks = allRanks ? n : r;
    double alpha = mle(reads, ranks);
    double[] ls = leastSquares(reads, ranks);
    double[] lsAll = leastSquares(reads, n);
    double intercept = interceptAt(reads, ranks, alpha);
    double r2 = rSquared(reads, ranks, alpha, intercept);
    String method =
        "maximum likelihood, discrete power law truncated to ranks 1.."
            + ranks
            + (allRanks
                ? " (all ranks: fewer than "
                    + MIN_RANKS
                    + " keys have ≥ "
                    + (int) MIN_READS
                    + " reads)"
                : " (the ranks with ≥ " + (int) MIN_READS + " reads)")
            + "; R² of ln(reads) on ln(rank) at that slope";
    return new Zipf(
        method,
        alpha,
        r2,
        r2 >= ZIPF_LIKE_R2,
        fitInWords(r2),
        ls[0],
        ls[1],
        lsAll[0],
        1,
        ranks,
        n,
        plotPoints(reads, alpha, intercept));
  }

  /** "good fit (R² 0.970)", "fair fit (R² 0.836)", "poor fit (R² 0.410): α not meaningful". */
  static String fitInWords(double r2) {
    if (Double.isNaN(r2)) {
      return "no fit: too few keys";
    }
    String value = String.format(Locale.ROOT, "(R² %.3f)", r2);
    if (r2 >= GOOD_FIT_R2) {
      return "good fit " + value;
    }
    return r2 >= ZIPF_LIKE_R2 ? "fair fit " + value : "poor fit " + value + ": α not meaningful";
  }

  static double mle(double[] reads, int ranks) {
    double total = 0;
    double sumLn = 0;
    double[] ln = new double[ranks];
    for (int i = 0; i < ranks; i++) {
      ln[i] = Math.log(i + 1);
      total += reads[i];
      sumLn += reads[i] * ln[i];
    }
    double observed = sumLn / total;
    double lo = 0;
    double hi = 6;
    while (hi - lo > 1e-6) {
      double mid = (lo + hi) / 2;
      // the model's mean ln r falls as α grows: too high a mean means α is too small
      if (modelMeanLn(ln, mid) > observed) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  private static double modelMeanLn(double[] ln, double alpha) {
    double z = 0;
    double s = 0;
    for (double l : ln) {
      double p = Math.exp(-alpha * l);
      z += p;
      s += p * l;
    }
    return s / z;
  }

  /** {alpha, R²} of the least-squares line through (ln r, ln reads), r = 1..ranks. */
  private static double[] leastSquares(double[] reads, int ranks) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (int i = 0; i < ranks; i++) {
      double x = Math.log(i + 1);
      double y = Math.log(reads[i]);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
      syy += y * y;
    }
    double vx = sxx - sx * sx / ranks;
    double vy = syy - sy * sy / ranks;
    double cov = sxy - sx * sy / ranks;
    if (vx == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double slope = cov / vx;
    double r2 = vy == 0 ? 1 : cov * cov / (vx * vy);
    return new double[] {-slope, r2};
  }

  private static double interceptAt(double[] reads, int ranks, double alpha) {
    double s = 0;
    for (int i = 0; i < ranks; i++) {
      s += Math.log(reads[i]) + alpha * Math.log(i + 1);
    }
    return s / ranks;
  }

  private static double rSquared(double[] reads, int ranks, double alpha, double intercept) {
    double mean = 0;
    for (int i = 0; i < ranks; i++) {
      mean += Math.log(reads[i]);
    }
    mean /= ranks;
    double res = 0;
    double tot = 0;
    for (int i = 0; i < ranks; i++) {
      double y = Math.log(reads[i]);
      double fit = intercept - alpha * Math.log(i + 1);
      res += (y - fit) * (y - fit);
      tot += (y - mean) * (y - mean);
    }
    return tot == 0 ? 1 : 1 - res / tot;
  }

  /** About {@value #PLOT_POINTS} log-spaced ranks with their reads and the fitted line's value. */
  private static List<RankPoint> plotPoints(double[] reads, double alpha, double intercept) {
    List<RankPoint> points = new ArrayList<>();
    int n = reads.length;
    double step = Math.max(Math.log(n) / PLOT_POINTS, 1e-9);
    long last = 0;
    for (int i = 0; i <= PLOT_POINTS; i++) {
      long rank = Math.min(n, Math.round(Math.exp(i * step)));
      if (rank > last) {
        points.add(
            new RankPoint(
                rank, reads[(int) rank - 1], Math.exp(intercept - alpha * Math.log(rank))));
        last = rank;
      }
    }
    if (last < n) {
      points.add(new RankPoint(n, reads[n - 1], Math.exp(intercept - alpha * Math.log(n))));
    }
    return points;
  }
}
