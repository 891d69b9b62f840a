package dev.keywarm.demo;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Runs side by side, one column per run: a terminal table (each second's hit rate, p99 request
 * latency, timeouts and database queries, then summary rows), the targets of issues 10 and 11 as
 * measured, the snapshot's upkeep, and an HTML section with two SVG charts (hit rate and p99 per
 * second, one line per run, the legend inside, so each chart reads on its own as the README's
 * image). The same report serves the cold restarts ({@link RunKind#RESTARTS}) and the
 * new-environment starts ({@link RunKind#GATED}).
 */
final class ComparisonReport {

  /** Issue 10's targets for the zero-code run. */
  static final double FIRST_SECOND_TARGET = 0.95;

  static final double QUERIES_VS_COLD_TARGET = 0.10;
  static final double UPKEEP_TARGET = 0.05;

  /** Issue 11's: the cold herd visible (p99 ≥ 10× steady early on), zero-code p99 within 2×. */
  static final double HERD_P99_FACTOR = 10;

  static final double ZERO_CODE_P99_FACTOR = 2;
  static final int EARLY_SECONDS = 3;

  private final String after;
  private final List<RestartMeasurement> runs;

  /**
   * @param after what the seconds count from, e.g. "after the restart"
   */
  ComparisonReport(String after, List<RestartMeasurement> runs) {
    this.after = after;
    this.runs = List.copyOf(runs);
  }

  ComparisonReport(List<RestartMeasurement> runs) {
    this("after the restart", runs);
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%8s", ""));
    for (RestartMeasurement m : runs) {
      out.append(String.format(" | %-29s", m.run().title()));
    }
    out.append(String.format("%n%8s", "second"));
    for (int c = 0; c < runs.size(); c++) {
      out.append(String.format(" | %6s %7s %6s %7s", "hit", "p99 ms", "t/o", "db q/s"));
    }
    out.append(String.format("%n"));
    int seconds = runs.stream().mapToInt(m -> m.seconds().size()).max().orElse(0);
    for (int i = 0; i < seconds; i++) {
      out.append(String.format("%8d", i + 1));
      for (RestartMeasurement m : runs) {
        out.append(" | ").append(cell(m, i));
      }
      out.append(String.format("%n"));
    }
    out.append("-".repeat(8 + 32 * runs.size())).append(String.format("%n"));

    StringBuilder header = new StringBuilder(String.format("  %-46s", after));
    for (RestartMeasurement m : runs) {
      header.append(String.format(" %14s", m.run().label()));
    }
    out.append(header).append(String.format("%n"));
    if (runs.stream().anyMatch(m -> m.admittedAtSecond() > 0)) {
      row(out, "traffic admitted, s after the JVM started", m -> secs(m.admittedAtSecond()));
    }
    row(
        out,
        "steady hit rate (" + RestartMeasurement.STEADY_SECONDS + " s)",
        m -> pct(m.steadyHitRate()));
    row(out, "steady p99 latency", m -> ms(m.steadyP99Millis()));
    row(out, "hit rate in second 1", m -> m.seconds().isEmpty() ? "—" : pct(m.hitRate(0)));
    row(out, "  as a share of steady", m -> pct(m.firstSecondShareOfSteady()));
    row(out, "time to 90 % of steady hit rate (1 s steps)", m -> time(m.secondsTo(0.9)));
    row(out, "time to 99 % of steady hit rate", m -> time(m.secondsTo(0.99)));
    row(
        out,
        "p99 in second 1",
        m -> m.seconds().isEmpty() ? "—" : ms(m.seconds().get(0).p99Millis()));
    row(out, "peak p99 (second)", m -> ms(m.peakP99Millis()) + " (" + m.peakP99Second() + ")");
    row(out, "  as a multiple of steady p99", m -> times(m.peakP99Millis(), m.steadyP99Millis()));
    row(out, "seconds with p99 > 2 × steady", m -> Integer.toString(m.secondsWithP99Over(2)));
    row(out, "p99.9 over all " + seconds + " s", m -> ms(p999(m)));
    row(out, "requests", m -> String.format("%,d", m.totalRequests()));
    row(
        out,
        "  failed: timed out (> " + ShopApp.TIMEOUT_MILLIS + " ms)",
        m -> String.format("%,d", m.totalTimeouts()));
    row(out, "  failed: cache errors", m -> String.format("%,d", m.totalErrors()));
    row(out, "db queries in " + seconds + " s", m -> String.format("%,d", m.totalQueries()));
    RestartMeasurement cold = find(RunKind.COLD);
    if (cold != null && cold.totalQueries() > 0) {
      row(
          out,
          "  as a share of the cold run's",
          m -> pct((double) m.totalQueries() / cold.totalQueries()));
    }
    row(
        out,
        "peak db queries / s (capacity " + SimulatedDatabase.CAPACITY_PER_SECOND + ")",
        m -> String.format("%,d", m.peakQueries()));
    row(out, "peak queries waiting for a connection", m -> String.format("%,d", m.peakDbWait()));
    row(out, "db rows loaded by the shop's loader", m -> String.format("%,d", m.warmRows()));
    row(
        out,
        "keys restored from the snapshot",
        m -> String.format("%,d", m.restoredFromSnapshot()));
    if (runs.stream().anyMatch(m -> m.upkeep() != null)) {
      row(
          out,
          "snapshot upkeep before the restart, cmds/s",
          m -> m.upkeep() == null ? "—" : String.format("%,.0f", m.upkeep().commandsPerSecond()));
      row(
          out,
          "  share of the shop's own commands",
          m -> m.upkeep() == null ? "—" : pct(m.upkeep().shareOfShop()));
    }
    herdTargets(out, cold, find(RunKind.ZERO_CODE), find(RunKind.LOADERS));
    targets(out, find(RunKind.ZERO_CODE), cold);
    return out.toString();
  }

  /** Issue 11's figures as measured: the herd in the cold run, none in keywarm's. */
  private static void herdTargets(
      StringBuilder out,
      RestartMeasurement cold,
      RestartMeasurement zero,
      RestartMeasurement loaders) {
    if (cold == null || zero == null) {
      return;
    }
    out.append(String.format("%nthe herd (targets of issue 11):%n"));
    double early = cold.earlyP99VersusSteady(EARLY_SECONDS);
    out.append(
        String.format(
            Locale.ROOT,
            "  cold: timeouts > 0 and p99 ≥ 10 × steady in the first %d s: %,d timeouts, %.0f ×"
                + " — %s%n",
            EARLY_SECONDS,
            cold.totalTimeouts(),
            early,
            cold.totalTimeouts() > 0 && early >= HERD_P99_FACTOR ? "met" : "not met"));
    for (RestartMeasurement m : loaders == null ? List.of(zero) : List.of(zero, loaders)) {
      out.append(
          String.format(
              "  %s: 0 timeouts:%s%,d — %s%n",
              m.run().label(),
              " ".repeat(Math.max(1, 38 - m.run().label().length())),
              m.totalTimeouts(),
              m.totalTimeouts() == 0 ? "met" : "not met"));
    }
    int over = zero.secondsWithP99Over(ZERO_CODE_P99_FACTOR);
    out.append(
        String.format(
            Locale.ROOT,
            "  zero-code: p99 within 2 × steady from second 1: peak %.1f × steady (second %d), %d"
                + " s over — %s%n",
            zero.steadyP99Millis() == 0 ? 0 : zero.peakP99Millis() / zero.steadyP99Millis(),
            zero.peakP99Second(),
            over,
            over == 0 ? "met" : "not met"));
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

  private RestartMeasurement find(RunKind run) {
    return runs.stream().filter(m -> m.run() == run).findFirst().orElse(null);
  }

  private static String cell(RestartMeasurement m, int i) {
    if (i >= m.seconds().size()) {
      return String.format("%29s", "");
    }
    RestartMeasurement.Second second = m.seconds().get(i);
    return String.format(
        Locale.ROOT,
        "%5.1f%% %7.1f %6s %7s",
        100 * second.hitRate(),
        second.p99Millis(),
        String.format("%,d", second.timeouts()),
        String.format("%,d", second.queries()));
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

  private static String ms(double millis) {
    return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : "%.0f ms", millis);
  }

  private static String secs(double seconds) {
    return String.format(Locale.ROOT, "%.2f s", seconds);
  }

  private static String times(double value, double base) {
    return base == 0 ? "—" : String.format(Locale.ROOT, "%.1f ×", value / base);
  }

  private static double p999(RestartMeasurement m) {
    org.HdrHistogram.Histogram all = m.latencyAfter();
    return all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(99.9) / 1000.0;
  }

  private static String time(int seconds) {
    return seconds < 0 ? "not reached" : "≤ " + seconds + " s";
  }

  /** A self-contained HTML section: both charts and the summary table. */
  String htmlSection(String id, String heading) {
    return "<section id=\""
        + id
        + "\"><h2>"
        + LineChart.escape(heading)
        + "</h2><p>Each second "
        + LineChart.escape(after)
        + ": its own hit rate (dashed: 90 % of the steady hit rate) and its requests' p99"
        + " latency, measured from each request's arrival (dashed: the timeout).</p>"
        + hitRateSvg()
        + "<br>"
        + latencySvg()
        + "<pre>"
        + LineChart.escape(table())
        + "</pre></section>";
  }

  /** Hit rate per second, one line per run. */
  String hitRateSvg() {
    LineChart chart = LineChart.percent("hit rate per second " + after, "seconds " + after);
    for (RestartMeasurement m : runs) {
      chart.line(m.run().title(), m.run().colour(), series(m, RestartMeasurement.Second::hitRate));
    }
    double steady = runs.isEmpty() ? 1 : runs.get(0).steadyHitRate();
    return chart.reference("90 % of steady", "#999", 0.9 * steady).svg();
  }

  /** p99 request latency per second, one line per run, on a log scale up to past the timeout. */
  String latencySvg() {
    LineChart chart =
        LineChart.millisLog("p99 request latency per second " + after, "seconds " + after, 1, 1000);
    for (RestartMeasurement m : runs) {
      chart.line(
          m.run().title(), m.run().colour(), series(m, RestartMeasurement.Second::p99Millis));
    }
    return chart.reference("request timeout", "#999", ShopApp.TIMEOUT_MILLIS).svg();
  }

  private static double[] series(
      RestartMeasurement m, java.util.function.ToDoubleFunction<RestartMeasurement.Second> value) {
    return m.seconds().stream().mapToDouble(value).toArray();
  }
}
