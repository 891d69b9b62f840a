package dev.keywarm.demo;

import java.util.Locale;

/**
 * The warmed and the cold restart side by side: a terminal table and an HTML section with an SVG
 * chart.
 */
final class ComparisonReport {

  private final RestartMeasurement warmed;
  private final RestartMeasurement cold;

  ComparisonReport(RestartMeasurement warmed, RestartMeasurement cold) {
    this.warmed = warmed;
    this.cold = cold;
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%8s | %-24s | %-24s%n", "", "keywarm warming", "no warming (cold)"));
    out.append(
        String.format(
            "%8s | %9s %14s | %9s %14s%n",
            "second", "hit rate", "db queries", "hit rate", "db queries"));
    int seconds = Math.max(warmed.hitRate().length, cold.hitRate().length);
    for (int i = 0; i < seconds; i++) {
      out.append(String.format("%8d | %s | %s%n", i + 1, cell(warmed, i), cell(cold, i)));
    }
    out.append(String.format("%8s-+-%24s-+-%24s%n", "", "", "").replace(' ', '-'));
    row(
        out,
        "steady hit rate (5 s before the restart)",
        pct(warmed.steadyHitRate()),
        pct(cold.steadyHitRate()));
    row(out, "time to 90 % of steady", time(warmed.secondsTo90()), time(cold.secondsTo90()));
    row(out, "  target: within 10 s", met(warmed.secondsTo90()), met(cold.secondsTo90()));
    row(
        out,
        "peak db queries / s (cap " + SimulatedDatabase.CAPACITY_PER_SECOND + ")",
        String.format("%,d", warmed.peakQueries()),
        String.format("%,d", cold.peakQueries()));
    row(
        out,
        "db queries in " + warmed.hitRate().length + " s",
        String.format("%,d", warmed.totalQueries()),
        String.format("%,d", cold.totalQueries()));
    row(
        out,
        "db rows loaded in " + warmed.hitRate().length + " s",
        String.format("%,d", warmed.rows()),
        String.format("%,d", cold.rows()));
    row(
        out,
        "  of which by keywarm's warm",
        String.format("%,d", warmed.warmRows()),
        String.format("%,d", cold.warmRows()));
    row(
        out,
        "requests served (reads)",
        String.format("%,d", warmed.totalReads()),
        String.format("%,d", cold.totalReads()));
    return out.toString();
  }

  private static String cell(RestartMeasurement m, int i) {
    if (i >= m.hitRate().length) {
      return String.format("%24s", "");
    }
    return String.format(
        "%8.1f%% %14s", 100 * m.hitRate()[i], String.format("%,d", m.queries()[i]));
  }

  private static void row(StringBuilder out, String what, String a, String b) {
    out.append(String.format("  %-44s %12s %14s%n", what, a, b));
  }

  private static String pct(double share) {
    return String.format("%.1f %%", 100 * share);
  }

  private static String met(int seconds) {
    return seconds > 0 && seconds <= 10 ? "met" : "missed";
  }

  private static String time(int seconds) {
    return seconds < 0 ? "not reached" : "≤ " + seconds + " s";
  }

  /**
   * A self-contained HTML section: the chart (hit rate per second, both runs) and the summary
   * table.
   */
  String htmlSection() {
    int width = 640;
    int height = 260;
    int left = 48;
    int bottom = 30;
    int seconds = Math.max(warmed.hitRate().length, cold.hitRate().length);
    double xStep = (width - left - 10.0) / Math.max(1, seconds - 1);
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" font-family=\"sans-serif\" role=\"img\"")
        .append(" aria-label=\"hit rate per second after the restart\">");
    for (int pct = 0; pct <= 100; pct += 25) {
      double y = y(pct / 100.0, height, bottom);
      svg.append(
          fmt(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>",
              left, y, width - 10, y));
      svg.append(
          fmt(
              "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d %%</text>",
              left - 4, y + 4, pct));
    }
    for (int s = 0; s < seconds; s += 5) {
      svg.append(
          fmt(
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d s</text>",
              left + s * xStep, height - 12, s + 1));
    }
    double steadyY = y(0.9 * warmed.steadyHitRate(), height, bottom);
    svg.append(
        fmt(
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
            left, steadyY, width - 10, steadyY));
    svg.append(line(warmed, "#1f77b4", left, xStep, height, bottom));
    svg.append(line(cold, "#d62728", left, xStep, height, bottom));
    svg.append(LEGEND);
    svg.append("</svg>");
    return "<section id=\"restart\"><h2>Cold restart: keywarm warming vs none</h2>"
        + "<p>Hit rate in each second after the cache Redis was restarted empty "
        + "(<span style=\"color:#1f77b4\">■ warmed by keywarm</span>, "
        + "<span style=\"color:#d62728\">■ cold</span>; dashed: 90 % of the steady hit rate).</p>"
        + svg
        + "<pre>"
        + escape(table())
        + "</pre></section>";
  }

  private static String line(
      RestartMeasurement m, String colour, int left, double xStep, int height, int bottom) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < m.hitRate().length; i++) {
      points.append(fmt("%.1f,%.1f ", left + i * xStep, y(m.hitRate()[i], height, bottom)));
    }
    return "<polyline fill=\"none\" stroke=\""
        + colour
        + "\" stroke-width=\"2\" points=\""
        + points.toString().trim()
        + "\"/>";
  }

  /** Inside the chart, so that it reads on its own (the README shows it as an image). */
  static final String LEGEND =
      "<rect x=\"430\" y=\"150\" width=\"12\" height=\"4\" fill=\"#1f77b4\"/>"
          + "<text x=\"448\" y=\"156\" font-size=\"12\">keywarm warming</text>"
          + "<rect x=\"430\" y=\"170\" width=\"12\" height=\"4\" fill=\"#d62728\"/>"
          + "<text x=\"448\" y=\"176\" font-size=\"12\">no warming (cold)</text>"
          + "<line x1=\"430\" y1=\"192\" x2=\"442\" y2=\"192\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"
          + "<text x=\"448\" y=\"196\" font-size=\"12\">90 % of steady</text>"
          + "<text x=\"339\" y=\"258\" font-size=\"11\" text-anchor=\"middle\">seconds after the cache restart</text>";

  private static double y(double share, int height, int bottom) {
    return 10 + (1 - share) * (height - bottom - 10);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
