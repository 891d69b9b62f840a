package dev.keywarm.analyzer.report;

import dev.keywarm.analyzer.analysis.AnalysisResult;
import dev.keywarm.analyzer.analysis.AnalysisResult.CoverageTarget;
import java.util.List;

/**
 * The headline on how concentrated reads are, the same in every report: Zipf α when the curve is
 * Zipf-like, else what the top keys cover — an α printed over a curve it does not fit would
 * mislead.
 */
final class Popularity {

  private Popularity() {}

  static String headline(AnalysisResult r) {
    var z = r.zipf();
    return z.zipfLike()
        ? "Zipf α " + Fmt.num(z.alpha(), 3) + ", " + z.fit()
        : coverage(r) + "; not Zipf-like: " + z.fit();
  }

  /** "the top 9,972 keys (13.1% of keys) cover 80.0% of reads, 53,290 (69.8%) cover 99.0%". */
  static String coverage(AnalysisResult r) {
    List<CoverageTarget> targets = r.coverage().targets();
    double keys = r.totals().distinctKeys();
    CoverageTarget first = targets.get(0);
    CoverageTarget last = targets.get(targets.size() - 1);
    return "the top "
        + Fmt.count(first.k())
        + " keys ("
        + Fmt.pct(first.k() / keys)
        + " of keys) cover "
        + Fmt.pct(first.share())
        + " of reads, "
        + Fmt.count(last.k())
        + " ("
        + Fmt.pct(last.k() / keys)
        + ") cover "
        + Fmt.pct(last.share());
  }
}
