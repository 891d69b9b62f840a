package dev.keywarm.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A small self-contained SVG line chart: one line per series over seconds 1..n, a linear percentage
 * axis or a logarithmic milliseconds axis, optional dashed reference lines, and the legend inside
 * the plot (so the SVG reads on its own as the README's image).
 */
final class LineChart {

  /** One line: its name, colour and a value per second. */
  record Series(String name, String colour, double[] values) {}

  /** A dashed horizontal line with its label in the legend. */
  record Reference(String name, String colour, double value) {}

  private static final int PLOT_RIGHT = 640;
  private static final int LEGEND_WIDTH = 230;
  private static final int WIDTH = PLOT_RIGHT + LEGEND_WIDTH;
  private static final int HEIGHT = 280;
  private static final int LEFT = 56;
  private static final int TOP = 30;
  private static final int BOTTOM = 30;

  private final String title;
  private final String xLabel;
  private final boolean logarithmic;
  private final double low;
  private final double high;
  private final List<Series> series = new ArrayList<>();
  private final List<Reference> references = new ArrayList<>();

  private LineChart(String title, String xLabel, boolean logarithmic, double low, double high) {
    this.title = title;
    this.xLabel = xLabel;
    this.logarithmic = logarithmic;
    this.low = low;
    this.high = high;
  }

  /** Values are shares (0..1), shown as 0–100 %. */
  static LineChart percent(String title, String xLabel) {
    return new LineChart(title, xLabel, false, 0, 1);
  }

  /** Values are milliseconds, on a log scale from {@code low} to {@code high}. */
  static LineChart millisLog(String title, String xLabel, double low, double high) {
    return new LineChart(title, xLabel, true, low, high);
  }

  LineChart line(String name, String colour, double[] values) {
    series.add(new Series(name, colour, values));
    return this;
  }

  LineChart reference(String name, String colour, double value) {
    references.add(new Reference(name, colour, value));
    return this;
  }

  String svg() {
    int seconds = series.stream().mapToInt(s -> s.values().length).max().orElse(0);
    double xStep = (PLOT_RIGHT - LEFT) / (double) Math.max(1, seconds - 1);
    StringBuilder svg = new StringBuilder();
    svg.append(
        fmt(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" role=\"img\" aria-label=\"%s\">",
            WIDTH, HEIGHT, escape(title)));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>",
            LEFT, escape(title)));
    for (double tick : yTicks()) {
      double y = y(tick);
      svg.append(
          fmt(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>",
              LEFT, y, PLOT_RIGHT, y));
      svg.append(
          fmt(
              "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
              LEFT - 4, y + 4, yLabel(tick)));
    }
    for (int s = 0; s < seconds; s += 5) {
      svg.append(
          fmt(
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d s</text>",
              LEFT + s * xStep, HEIGHT - 16, s + 1));
    }
    for (Reference ref : references) {
      double y = y(ref.value());
      svg.append(
          fmt(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\""
                  + " stroke-dasharray=\"4 3\"/>",
              LEFT, y, PLOT_RIGHT, y, ref.colour()));
    }
    for (Series line : series) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < line.values().length; i++) {
        points.append(fmt("%.1f,%.1f ", LEFT + i * xStep, y(line.values()[i])));
      }
      svg.append("<polyline fill=\"none\" stroke=\"")
          .append(line.colour())
          .append("\" stroke-width=\"2\" points=\"")
          .append(points.toString().trim())
          .append("\"/>");
    }
    svg.append(legend());
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
            (LEFT + PLOT_RIGHT) / 2, HEIGHT - 2, escape(xLabel)));
    svg.append("</svg>");
    return svg.toString();
  }

  private String legend() {
    StringBuilder legend = new StringBuilder();
    int x = PLOT_RIGHT + 16;
    int y = TOP + 12;
    for (Series line : series) {
      legend.append(
          fmt(
              "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
              x, y - 4, line.colour(), x + 20, y, escape(line.name())));
      y += 20;
    }
    for (Reference ref : references) {
      legend.append(
          fmt(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                  + " stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
              x, y - 2, x + 14, y - 2, ref.colour(), x + 20, y, escape(ref.name())));
      y += 20;
    }
    return legend.toString();
  }

  private List<Double> yTicks() {
    List<Double> ticks = new ArrayList<>();
    if (logarithmic) {
      for (double v = low; v <= high * 1.0001; v *= 10) {
        ticks.add(v);
      }
    } else {
      for (int pct = 0; pct <= 100; pct += 25) {
        ticks.add(pct / 100.0);
      }
    }
    return ticks;
  }

  private String yLabel(double tick) {
    if (!logarithmic) {
      return fmt("%d %%", Math.round(tick * 100));
    }
    return tick >= 1000 ? fmt("%.0f s", tick / 1000) : fmt("%s ms", trim(tick));
  }

  private double y(double value) {
    DoubleUnaryOperator scale = logarithmic ? Math::log10 : v -> v;
    double clamped = Math.max(low, Math.min(high, value));
    double share =
        (scale.applyAsDouble(clamped) - scale.applyAsDouble(low))
            / (scale.applyAsDouble(high) - scale.applyAsDouble(low));
    return TOP + (1 - share) * (HEIGHT - BOTTOM - TOP);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? fmt("%.0f", value) : fmt("%s", value);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
