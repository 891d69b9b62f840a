package dev.keywarm.analyzer.report;

import dev.keywarm.analyzer.analysis.AnalysisResult.PatternRow;
import dev.keywarm.analyzer.analysis.AnalysisResult.Patterns;
import java.util.List;

/** The TTL columns of the key-pattern table, the same in the text and the HTML report. */
final class TtlColumns {

  static final List<String> HEADER = List.of("TTL p50", "TTL p90", "without TTL", "writes");

  static final String NOTE =
      "TTL p50 / p90: over the writes that set a TTL, rounded down to two significant digits "
          + "(none: no write set one); without TTL: share of the writes that set none; writes: "
          + "writes whose TTL the agent recorded.";

  private TtlColumns() {}

  /** Whether any pattern has a TTL figure: else the columns are left out and a line says why. */
  static boolean shown(Patterns patterns) {
    return patterns.top().stream().anyMatch(p -> p.ttlWrites() > 0);
  }

  static List<String> cells(PatternRow p) {
    if (p.ttlWrites() == 0) {
      return List.of("–", "–", "–", "0");
    }
    return List.of(
        quantile(p.ttlP50Ms()),
        quantile(p.ttlP90Ms()),
        Fmt.pct(p.writesWithoutTtlShare()),
        Fmt.count(p.ttlWrites()));
  }

  /** A quantile is null when writes were recorded but none set a TTL. */
  private static String quantile(Long millis) {
    return millis == null ? "none" : Fmt.ttl(millis);
  }
}
