package dev.keywarm.demo;

import dev.keywarm.demo.ShopRun.Tick;
import java.util.List;

/**
 * What one shop run saw around a cold restart of its cache: per-second hit rate and database
 * queries after the restart, against the steady hit rate of the seconds before it.
 */
record RestartMeasurement(
    String label,
    double steadyHitRate,
    double[] hitRate,
    long[] queries,
    long[] reads,
    long rows,
    long warmRows,
    long errors) {

  static final int STEADY_SECONDS = 5;

  /** {@code ticks} are cumulative; the restart happened right after second {@code restartAfter}. */
  static RestartMeasurement of(String label, List<Tick> ticks, int restartAfter) {
    Tick steadyFrom = at(ticks, Math.max(0, restartAfter - STEADY_SECONDS));
    Tick restart = at(ticks, restartAfter);
    double steady = ratio(restart.hits() - steadyFrom.hits(), restart.reads() - steadyFrom.reads());
    int seconds = ticks.size() - restartAfter;
    double[] hitRate = new double[seconds];
    long[] queries = new long[seconds];
    long[] reads = new long[seconds];
    Tick previous = restart;
    for (int i = 0; i < seconds; i++) {
      Tick tick = ticks.get(restartAfter + i);
      reads[i] = tick.reads() - previous.reads();
      hitRate[i] = ratio(tick.hits() - previous.hits(), reads[i]);
      queries[i] = tick.queries() - previous.queries();
      previous = tick;
    }
    Tick last = ticks.get(ticks.size() - 1);
    return new RestartMeasurement(
        label,
        steady,
        hitRate,
        queries,
        reads,
        last.rows() - restart.rows(),
        last.warmRows() - restart.warmRows(),
        last.errors() - restart.errors());
  }

  /**
   * Seconds after the restart until a second's hit rate reached 90 % of steady; -1 if it never did.
   */
  int secondsTo90() {
    for (int i = 0; i < hitRate.length; i++) {
      if (reads[i] > 0 && hitRate[i] >= 0.9 * steadyHitRate) {
        return i + 1;
      }
    }
    return -1;
  }

  long peakQueries() {
    long peak = 0;
    for (long l : queries) {
      peak = Math.max(peak, l);
    }
    return peak;
  }

  long totalQueries() {
    long total = 0;
    for (long l : queries) {
      total += l;
    }
    return total;
  }

  long totalReads() {
    long total = 0;
    for (long r : reads) {
      total += r;
    }
    return total;
  }

  private static Tick at(List<Tick> ticks, int second) {
    return second == 0 ? new Tick(0, 0, 0, 0, 0, 0, 0) : ticks.get(second - 1);
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
