package dev.keywarm.analyzer.report;

import dev.keywarm.analyzer.analysis.AnalysisResult.CoveragePoint;
import dev.keywarm.analyzer.analysis.AnalysisResult.Heatmap;
import dev.keywarm.analyzer.analysis.AnalysisResult.RankPoint;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the HTML report, drawn by hand (no script, no network): log–log
 * rank–frequency with the fitted line, the coverage curve on a log k axis, and an hour × pattern
 * heatmap shaded per pattern column (share of that pattern's reads in each hour), so a small
 * pattern's daily rhythm shows as clearly as a large one's.
 */
final class SvgCharts {

  private static final int W = 520;
  private static final int H = 320;
  private static final int L = 64; // left margin for tick labels
  private static final int R = 16;
  private static final int T = 16;
  private static final int B = 44;

  /**
   * Mean advance of a tick label's characters at font-size 11 (DejaVu Sans: digit 7.0 px, comma 3.5
   * px).
   */
  private static final double CHAR_WIDTH = 6.5;

  private static final int EDGE = 2;

  private SvgCharts() {}

  /**
   * @param fitLabel the fitted line's legend, e.g. "fit, α = 1.077"
   */
  static String rankFrequency(List<RankPoint> points, String fitLabel) {
    if (points.isEmpty()) {
      return "<p>No rank–frequency chart: too few keys to fit.</p>";
    }
    double maxRank = points.get(points.size() - 1).rank();
    double maxReads = 1;
    double minReads = Double.MAX_VALUE;
    for (RankPoint p : points) {
      maxReads = Math.max(maxReads, Math.max(p.reads(), p.fitted()));
      minReads = Math.min(minReads, p.reads());
    }
    minReads = Math.max(minReads, 1e-3);
    double x0 = 0;
    double x1 = Math.max(Math.log10(maxRank), 1);
    double y0 = Math.floor(Math.log10(minReads));
    double y1 = Math.ceil(Math.log10(maxReads));
    if (y1 <= y0) {
      y1 = y0 + 1;
    }
    StringBuilder s = open("Reads by rank, log–log, with the fitted Zipf line");
    axes(s, x0, x1, y0, y1, "rank", "reads", true, true);
    StringBuilder observed = new StringBuilder();
    StringBuilder fitted = new StringBuilder();
    for (RankPoint p : points) {
      double x = px(Math.log10(p.rank()), x0, x1);
      observed.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\"/>",
              x,
              py(Math.log10(Math.max(p.reads(), minReads)), y0, y1)));
      if (p.fitted() > 0) {
        double fy = Math.log10(p.fitted());
        if (fy >= y0 && fy <= y1) {
          fitted
              .append(fitted.length() == 0 ? "M" : "L")
              .append(String.format(Locale.ROOT, "%.1f,%.1f ", x, py(fy, y0, y1)));
        }
      }
    }
    s.append("<g fill=\"#1f6feb\">").append(observed).append("</g>");
    s.append("<path d=\"")
        .append(fitted)
        .append("\" fill=\"none\" stroke=\"#d1242f\" stroke-width=\"2\"/>");
    legend(s, "#1f6feb", "observed", "#d1242f", fitLabel);
    return s.append("</svg>").toString();
  }

  static String coverage(List<CoveragePoint> curve) {
    if (curve.isEmpty()) {
      return "<p>No coverage chart: no reads.</p>";
    }
    double x1 = Math.max(Math.log10(curve.get(curve.size() - 1).k()), 1);
    StringBuilder s = open("Share of reads covered by the top k keys");
    axes(s, 0, x1, 0, 1, "k (keys, log scale)", "share of reads", true, false);
    StringBuilder path = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (CoveragePoint p : curve) {
      double x = px(Math.log10(p.k()), 0, x1);
      double y = py(p.share(), 0, 1);
      path.append(path.length() == 0 ? "M" : "L")
          .append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>", x, y));
    }
    s.append("<path d=\"")
        .append(path)
        .append("\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\"/>");
    s.append("<g fill=\"#1a7f37\">").append(dots).append("</g>");
    return s.append("</svg>").toString();
  }

  static String heatmap(Heatmap map) {
    List<String> patterns = map.patterns();
    if (patterns.isEmpty()) {
      return "<p>No heatmap: no key patterns.</p>";
    }
    int cell = 22;
    int labelWidth = 260;
    int width = labelWidth + 24 * cell + 20;
    int height = 30 + patterns.size() * cell + 30;
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                    + "font-family=\"sans-serif\" font-size=\"11\" role=\"img\"><title>Reads per hour of day and "
                    + "pattern</title>",
                width,
                height,
                width,
                height));
    for (int h = 0; h < 24; h++) {
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"20\" text-anchor=\"middle\">%02d</text>",
              labelWidth + h * cell + cell / 2,
              h));
    }
    for (int i = 0; i < patterns.size(); i++) {
      double colMax = 0;
      for (int h = 0; h < 24; h++) {
        colMax = Math.max(colMax, map.reads()[h][i]);
      }
      int y = 28 + i * cell;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
              labelWidth - 6,
              y + cell / 2 + 4,
              Html.escape(Fmt.clip(patterns.get(i), 40))));
      for (int h = 0; h < 24; h++) {
        double v = map.reads()[h][i];
        double t = colMax == 0 ? 0 : v / colMax;
        s.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s at %02d UTC: %s reads"
                    + "</title></rect>",
                labelWidth + h * cell,
                y,
                cell - 1,
                cell - 1,
                shade(t),
                Html.escape(patterns.get(i)),
                h,
                Fmt.count(v)));
      }
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\">hour of day (UTC); each row shaded "
                + "relative to its own busiest hour</text>",
            labelWidth,
            height - 8));
    return s.append("</svg>").toString();
  }

  private static String shade(double t) {
    if (t <= 0) {
      return "#f3f4f6";
    }
    // white → deep blue
    int r = (int) Math.round(235 - t * (235 - 8));
    int g = (int) Math.round(243 - t * (243 - 69));
    int b = (int) Math.round(255 - t * (255 - 148));
    return String.format("#%02x%02x%02x", r, g, b);
  }

  private static StringBuilder open(String title) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"11\" role=\"img\"><title>%s</title>",
            W,
            H,
            W,
            H,
            Html.escape(title)));
  }

  private static void axes(
      StringBuilder s,
      double x0,
      double x1,
      double y0,
      double y1,
      String xLabel,
      String yLabel,
      boolean logX,
      boolean logY) {
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#999\"/>",
            L,
            T,
            W - L - R,
            H - T - B));
    for (int i = (int) Math.ceil(x0); i <= (int) Math.floor(x1); i++) {
      double x = px(i, x0, x1);
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e5e7eb\"/>",
              x,
              T,
              x,
              H - B));
      xTick(s, x, logX ? tick(i) : Integer.toString(i));
    }
    int steps = logY ? (int) (y1 - y0) : 5;
    for (int i = 0; i <= steps; i++) {
      double v = logY ? y0 + i : y0 + i * (y1 - y0) / steps;
      double y = py(v, y0, y1);
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e7eb\"/>",
              L,
              y,
              W - R,
              y));
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              L - 6,
              y + 4,
              logY ? tick((int) v) : String.format(Locale.ROOT, "%.0f%%", 100 * v)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            L + (W - L - R) / 2,
            H - 8,
            xLabel));
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>",
            T + (H - T - B) / 2,
            T + (H - T - B) / 2,
            yLabel));
  }

  /**
   * A label centred under its tick, unless that would run past the chart's right edge (100,000 at
   * the last tick): then it ends at the edge, so the SVG viewport never clips it.
   */
  private static void xTick(StringBuilder s, double x, String label) {
    double halfWidth = label.length() * CHAR_WIDTH / 2;
    boolean atEdge = x + halfWidth > W - EDGE;
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
            atEdge ? W - EDGE : x,
            H - B + 14,
            atEdge ? "end" : "middle",
            label));
  }

  private static void legend(StringBuilder s, String c1, String l1, String c2, String l2) {
    int x = W - R - 150;
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"140\" height=\"40\" fill=\"#fff\" "
                + "stroke=\"#ccc\"/>",
            x,
            T + 6));
    s.append(
        String.format(
            Locale.ROOT,
            "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/><text x=\"%d\" "
                + "y=\"%d\">%s</text>",
            x + 12,
            T + 19,
            c1,
            x + 22,
            T + 23,
            l1));
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">%s</text>",
            x + 6,
            T + 35,
            x + 18,
            T + 35,
            c2,
            x + 22,
            T + 39,
            Html.escape(l2)));
  }

  private static String tick(int exponent) {
    return exponent >= 0 && exponent <= 6
        ? String.format(Locale.ROOT, "%,d", (long) Math.pow(10, exponent))
        : "1e" + exponent;
  }

  private static double px(double v, double v0, double v1) {
    return L + (v - v0) / (v1 - v0) * (W - L - R);
  }

  private static double py(double v, double v0, double v1) {
    return H - B - (v - v0) / (v1 - v0) * (H - T - B);
  }
}
