package dev.keywarm.demo;

import dev.keywarm.demo.ShopRun.Tick;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one shop run saw from a moment on — a cold restart of its cache, or its traffic being
 * admitted — second by second: requests, hit rate, request latency (exact per-second histograms),
 * timeouts, errors and database load; against the steady state of the same run (its hit rate and
 * its merged latency histogram over {@link #STEADY_SECONDS}); the keys the runner restored from the
 * hot-set snapshot (from its log line); and what keeping the snapshot cost the cache Redis before
 * the restart ({@code upkeep}, null if not measured).
 */
record RestartMeasurement(
    RunKind run,
    double steadyHitRate,
    Histogram steadyLatency,
    List<Second> seconds,
    long rows,
    long warmRows,
    long restoredFromSnapshot,
    SnapshotUpkeep upkeep,
    double admittedAtSecond) {

  /** Short enough to leave out a new shop JVM's first seconds (class loading, JIT). */
  static final int STEADY_SECONDS = 4;

  /** One second's own figures (not cumulative). */
  record Second(
      long requests,
      long reads,
      long hits,
      long timeouts,
      long errors,
      long queries,
      long dbWait,
      Histogram latency) {

    double hitRate() {
      return reads == 0 ? 0 : (double) hits / reads;
    }

    double p99Millis() {
      return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1000.0;
    }

    static Second between(Tick previous, Tick tick) {
      return new Second(
          tick.requests() - previous.requests(),
          tick.reads() - previous.reads(),
          tick.hits() - previous.hits(),
          tick.timeouts() - previous.timeouts(),
          tick.errors() - previous.errors(),
          tick.queries() - previous.queries(),
          tick.dbWait(),
          tick.latency());
    }
  }

  /**
   * {@code ticks} are cumulative; the restart happened right after second {@code restartAfter}.
   * Steady: the {@link #STEADY_SECONDS} before it.
   */
  static RestartMeasurement afterRestart(
      RunKind run,
      List<Tick> ticks,
      int restartAfter,
      long restoredFromSnapshot,
      SnapshotUpkeep upkeep) {
    return measure(
        run,
        ticks,
        restartAfter,
        Math.max(0, restartAfter - STEADY_SECONDS),
        restartAfter,
        restoredFromSnapshot,
        upkeep,
        0);
  }

  /**
   * From the first second in which requests arrived (traffic admitted at {@code admittedAt} seconds
   * after the JVM's start); steady: the run's last {@link #STEADY_SECONDS}.
   */
  static RestartMeasurement fromTraffic(
      RunKind run, List<Tick> ticks, double admittedAt, long restoredFromSnapshot) {
    int last = ticks.get(ticks.size() - 1).second();
    int before = 0;
    for (Tick tick : ticks) {
      if (tick.served() + tick.timeouts() + tick.errors() == 0) {
        before = tick.second();
      }
    }
    return measure(
        run,
        ticks,
        before,
        Math.max(before, last - STEADY_SECONDS),
        last,
        restoredFromSnapshot,
        null,
        admittedAt);
  }

  private static RestartMeasurement measure(
      RunKind run,
      List<Tick> ticks,
      int from,
      int steadyFrom,
      int steadyTo,
      long restoredFromSnapshot,
      SnapshotUpkeep upkeep,
      double admittedAt) {
    Tick steadyStart = at(ticks, steadyFrom);
    Tick steadyEnd = at(ticks, steadyTo);
    long steadyReads = steadyEnd.reads() - steadyStart.reads();
    double steadyHitRate =
        steadyReads == 0 ? 0 : (double) (steadyEnd.hits() - steadyStart.hits()) / steadyReads;
    Histogram steadyLatency = LatencyLog.empty();
    // by the seconds the shop printed, not list positions: a shop JVM that starts slowly prints
    // its first tick late, as second 2, and no tick 1
    for (Tick tick : ticks) {
      if (tick.second() > steadyFrom && tick.second() <= steadyTo) {
        steadyLatency.add(tick.latency());
      }
    }
    List<Second> seconds = new ArrayList<>();
    Tick previous = at(ticks, from);
    for (Tick tick : ticks) {
      if (tick.second() > from) {
        seconds.add(Second.between(previous, tick));
        previous = tick;
      }
    }
    Tick start = at(ticks, from);
    Tick last = ticks.get(ticks.size() - 1);
    return new RestartMeasurement(
        run,
        steadyHitRate,
        steadyLatency,
        List.copyOf(seconds),
        last.rows() - start.rows(),
        last.warmRows() - start.warmRows(),
        restoredFromSnapshot,
        upkeep,
        admittedAt);
  }

  double steadyP99Millis() {
    return steadyLatency.getTotalCount() == 0 ? 0 : steadyLatency.getValueAtPercentile(99) / 1000.0;
  }

  double hitRate(int second) {
    return seconds.get(second).hitRate();
  }

  /** Seconds until a second's hit rate reached {@code share} of steady; -1 if it never did. */
  int secondsTo(double share) {
    for (int i = 0; i < seconds.size(); i++) {
      if (seconds.get(i).reads() > 0 && seconds.get(i).hitRate() >= share * steadyHitRate) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The hit rate of the first second as a share of the steady hit rate. */
  double firstSecondShareOfSteady() {
    return seconds.isEmpty() || steadyHitRate == 0 ? 0 : seconds.get(0).hitRate() / steadyHitRate;
  }

  /** The highest per-second p99, and in which second (1-based) it was. */
  double peakP99Millis() {
    return seconds.stream().mapToDouble(Second::p99Millis).max().orElse(0);
  }

  int peakP99Second() {
    double peak = peakP99Millis();
    for (int i = 0; i < seconds.size(); i++) {
      if (seconds.get(i).p99Millis() == peak) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The highest per-second p99 in the first {@code n} seconds, as a multiple of steady p99. */
  double earlyP99VersusSteady(int n) {
    double peak = 0;
    for (int i = 0; i < Math.min(n, seconds.size()); i++) {
      peak = Math.max(peak, seconds.get(i).p99Millis());
    }
    return steadyP99Millis() == 0 ? 0 : peak / steadyP99Millis();
  }

  /** Seconds whose p99 was more than {@code factor} × the steady p99. */
  int secondsWithP99Over(double factor) {
    int count = 0;
    for (Second s : seconds) {
      count += s.p99Millis() > factor * steadyP99Millis() ? 1 : 0;
    }
    return count;
  }

  /** The latencies of every request in these seconds, merged. */
  Histogram latencyAfter() {
    Histogram merged = LatencyLog.empty();
    seconds.forEach(s -> merged.add(s.latency()));
    return merged;
  }

  long peakQueries() {
    return seconds.stream().mapToLong(Second::queries).max().orElse(0);
  }

  long peakDbWait() {
    return seconds.stream().mapToLong(Second::dbWait).max().orElse(0);
  }

  long totalQueries() {
    return seconds.stream().mapToLong(Second::queries).sum();
  }

  long totalReads() {
    return seconds.stream().mapToLong(Second::reads).sum();
  }

  long totalRequests() {
    return seconds.stream().mapToLong(Second::requests).sum();
  }

  long totalTimeouts() {
    return seconds.stream().mapToLong(Second::timeouts).sum();
  }

  long totalErrors() {
    return seconds.stream().mapToLong(Second::errors).sum();
  }

  /** The last tick at or before {@code second} (all zero before the first). */
  private static Tick at(List<Tick> ticks, int second) {
    Tick found = Tick.zero();
    for (Tick tick : ticks) {
      if (tick.second() <= second) {
        found = tick;
      }
    }
    return found;
  }
}
