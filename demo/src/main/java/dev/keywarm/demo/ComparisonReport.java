package dev.keywarm.demo;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The cold restarts side by side, one column per run: a terminal table (each second's hit rate and
 * database queries, then summary rows), the zero-code run's targets from issue 10 as measured, the
 * snapshot's upkeep, and an HTML section with an SVG chart (one line per run, its legend inside, so
 * the chart reads on its own as the README's image).
 */
final class ComparisonReport {

  /** Issue 10's targets for the zero-code run. */
  static final double FIRST_SECOND_TARGET = 0.95;

  static final double QUERIES_VS_COLD_TARGET = 0.10;
  static final double UPKEEP_TARGET = 0.05;

  private final List<RestartMeasurement> runs;

  ComparisonReport(List<RestartMeasurement> runs) {
    this.runs = List.copyOf(runs);
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%8s", ""));
    for (RestartMeasurement m : runs) {
      out.append(String.format(" | %-24s", m.run().title()));
    }
    out.append(String.format("%n%8s", "second"));
    for (int c = 0; c < runs.size(); c++) {
      out.append(String.format(" | %9s %14s", "hit rate", "db queries"));
    }
    out.append(String.format("%n"));
    int seconds = runs.stream().mapToInt(m -> m.hitRate().length).max().orElse(0);
    for (int i = 0; i < seconds; i++) {
      out.append(String.format("%8d", i + 1));
      for (RestartMeasurement m : runs) {
        out.append(" | ").append(cell(m, i));
      }
      out.append(String.format("%n"));
    }
    out.append("-".repeat(8 + 27 * runs.size())).append(String.format("%n"));

    StringBuilder header = new StringBuilder(String.format("  %-46s", "after the restart"));
    for (RestartMeasurement m : runs) {
      header.append(String.format(" %14s", m.run().label()));
    }
    out.append(header).append(String.format("%n"));
    row(out, "steady hit rate (5 s before the restart)", m -> pct(m.steadyHitRate()));
    row(out, "hit rate in second 1", m -> m.hitRate().length == 0 ? "—" : pct(m.hitRate()[0]));
    row(out, "  as a share of steady", m -> pct(m.firstSecondShareOfSteady()));
    row(out, "time to 90 % of steady (1 s resolution)", m -> time(m.secondsTo(0.9)));
    row(out, "  target: within 10 s", m -> met(m.secondsTo(0.9)));
    row(out, "time to 99 % of steady", m -> time(m.secondsTo(0.99)));
    row(
        out,
        "peak db queries / s (cap " + SimulatedDatabase.CAPACITY_PER_SECOND + ")",
        m -> String.format("%,d", m.peakQueries()));
    row(out, "db queries in " + seconds + " s", m -> String.format("%,d", m.totalQueries()));
    RestartMeasurement cold = find(RestartRun.COLD);
    if (cold != null && cold.totalQueries() > 0) {
      row(
          out,
          "  as a share of the cold run's",
          m -> pct((double) m.totalQueries() / cold.totalQueries()));
    }
    row(out, "db rows loaded in " + seconds + " s", m -> String.format("%,d", m.rows()));
    row(out, "  of which by the shop's loader (warm)", m -> String.format("%,d", m.warmRows()));
    row(
        out,
        "keys restored from the snapshot",
        m -> String.format("%,d", m.restoredFromSnapshot()));
    row(out, "requests served (reads)", m -> String.format("%,d", m.totalReads()));
    row(
        out,
        "snapshot upkeep before the restart, cmds/s",
        m -> m.upkeep() == null ? "—" : String.format("%,.0f", m.upkeep().commandsPerSecond()));
    row(
        out,
        "  share of the shop's own commands",
        m -> m.upkeep() == null ? "—" : pct(m.upkeep().shareOfShop()));
    targets(out, find(RestartRun.ZERO_CODE), cold);
    return out.toString();
  }

  /** The zero-code run against issue 10's targets, as measured; then its upkeep in full. */
  private static void targets(StringBuilder out, RestartMeasurement zero, RestartMeasurement cold) {
    if (zero == null) {
      return;
    }
    out.append(String.format("%nzero-code run against the targets of issue 10:%n"));
    double first = zero.firstSecondShareOfSteady();
    out.append(
        String.format(
            "  hit rate in second 1 ≥ 95 %% of steady:           %s of steady — %s%n",
            pct(first), first >= FIRST_SECOND_TARGET ? "met" : "not met"));
    if (cold != null && cold.totalQueries() > 0) {
      double share = (double) zero.totalQueries() / cold.totalQueries();
      out.append(
          String.format(
              "  db queries after the restart ≤ 10 %% of cold's:   %s (%,d of %,d) — %s%n",
              pct(share),
              zero.totalQueries(),
              cold.totalQueries(),
              share <= QUERIES_VS_COLD_TARGET ? "met" : "not met"));
    }
    SnapshotUpkeep upkeep = zero.upkeep();
    if (upkeep == null) {
      out.append(String.format("  snapshot upkeep: not measured%n"));
      return;
    }
    out.append(
        String.format(
            "  snapshot upkeep ≤ 5 %% of the shop's commands:     %s — %s%n",
            pct(upkeep.shareOfShop()), upkeep.shareOfShop() <= UPKEEP_TARGET ? "met" : "not met"));
    out.append(String.format("%s%n", upkeepLine(upkeep)));
  }

  /** The upkeep as measured, with its method. */
  static String upkeepLine(SnapshotUpkeep upkeep) {
    String bytes =
        upkeep.bytesPerSecond() < 0
            ? "bytes/s not known (the agent printed no 'snapshot: read N keys (B bytes)' line)"
            : String.format(
                "%,.0f value bytes/s (%,.0f DUMP/s × %,.0f bytes per key read, from the agent's"
                    + " 'snapshot: read N keys (B bytes)' line)",
                upkeep.bytesPerSecond(), upkeep.dumps() / upkeep.seconds(), upkeep.bytesPerKey());
    return String.format(
        "snapshot upkeep: %,.0f commands/s on the cache Redis (DUMP %,d + PTTL %,d in %.1f s) ="
            + " %s of the shop's %,.0f commands/s; %s. Measured with INFO commandstats of the"
            + " cache Redis at second 1 and at the restart second (the restart check's and this"
            + " reading's own %,d calls counted apart).",
        upkeep.commandsPerSecond(),
        upkeep.dumps(),
        upkeep.pttls(),
        upkeep.seconds(),
        pct(upkeep.shareOfShop()),
        upkeep.shopCommandsPerSecond(),
        bytes,
        upkeep.housekeeping());
  }

  private RestartMeasurement find(RestartRun run) {
    return runs.stream().filter(m -> m.run() == run).findFirst().orElse(null);
  }

  private static String cell(RestartMeasurement m, int i) {
    if (i >= m.hitRate().length) {
      return String.format("%24s", "");
    }
    return String.format(
        "%8.1f%% %14s", 100 * m.hitRate()[i], String.format("%,d", m.queries()[i]));
  }

  private void row(StringBuilder out, String what, Function<RestartMeasurement, String> value) {
    out.append(String.format("  %-46s", what));
    for (RestartMeasurement m : runs) {
      out.append(String.format(" %14s", value.apply(m)));
    }
    out.append(String.format("%n"));
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
   * A self-contained HTML section: the chart (hit rate per second, every run) and the summary
   * table.
   */
  String htmlSection() {
    StringBuilder key = new StringBuilder();
    for (RestartMeasurement m : runs) {
      key.append(key.length() == 0 ? "" : ", ")
          .append("<span style=\"color:")
          .append(m.run().colour())
          .append("\">■ ")
          .append(escape(m.run().title()))
          .append("</span>");
    }
    return "<section id=\"restart\"><h2>Cold restart: keywarm's snapshot, keywarm's loaders,"
        + " none</h2>"
        + "<p>Hit rate in each second after the cache Redis was restarted empty ("
        + key
        + "; dashed: 90 % of the steady hit rate).</p>"
        + svg()
        + "<pre>"
        + escape(table())
        + "</pre></section>";
  }

  /** The chart alone: one polyline per run, the legend inside. */
  String svg() {
    int width = 640;
    int height = 260;
    int left = 48;
    int bottom = 30;
    int seconds = runs.stream().mapToInt(m -> m.hitRate().length).max().orElse(0);
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
    double steady = runs.isEmpty() ? 1 : runs.get(0).steadyHitRate();
    double steadyY = y(0.9 * steady, height, bottom);
    svg.append(
        fmt(
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
            left, steadyY, width - 10, steadyY));
    for (RestartMeasurement m : runs) {
      svg.append(line(m, left, xStep, height, bottom));
    }
    svg.append(legend(width));
    svg.append("</svg>");
    return svg.toString();
  }

  private static String line(RestartMeasurement m, int left, double xStep, int height, int bottom) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < m.hitRate().length; i++) {
      points.append(fmt("%.1f,%.1f ", left + i * xStep, y(m.hitRate()[i], height, bottom)));
    }
    return "<polyline fill=\"none\" stroke=\""
        + m.run().colour()
        + "\" stroke-width=\"2\" points=\""
        + points.toString().trim()
        + "\"/>";
  }

  /**
   * Inside the chart, lower right (where every line has recovered), so that it reads on its own
   * (the README shows it as an image).
   */
  private String legend(int width) {
    StringBuilder legend = new StringBuilder();
    int x = 400;
    int y = 210 - 20 * runs.size();
    for (RestartMeasurement m : runs) {
      legend.append(
          fmt(
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
              x, y, m.run().colour(), x + 18, y + 6, escape(m.run().title())));
      y += 20;
    }
    legend.append(
        fmt(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"12\">90 %% of steady</text>",
            x, y + 2, x + 12, y + 2, x + 18, y + 6));
    legend.append(
        fmt(
            "<text x=\"%d\" y=\"258\" font-size=\"11\" text-anchor=\"middle\">seconds after the"
                + " cache restart</text>",
            (48 + width - 10) / 2));
    return legend.toString();
  }

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
