package dev.keywarm.demo;

import dev.keywarm.demo.ShopRun.Tick;
import java.util.List;

/**
 * What one shop run saw around a cold restart of its cache: per-second hit rate and database
 * queries after the restart, against the steady hit rate of the seconds before it; the keys the
 * runner restored from the hot-set snapshot (from its log line); and what keeping the snapshot cost
 * the cache Redis before the restart ({@code upkeep}, null if not measured).
 */
record RestartMeasurement(
    RestartRun run,
    double steadyHitRate,
    double[] hitRate,
    long[] queries,
    long[] reads,
    long rows,
    long warmRows,
    long errors,
    long restoredFromSnapshot,
    SnapshotUpkeep upkeep) {

  static final int STEADY_SECONDS = 5;

  /** {@code ticks} are cumulative; the restart happened right after second {@code restartAfter}. */
  static RestartMeasurement of(
      RestartRun run,
      List<Tick> ticks,
      int restartAfter,
      long restoredFromSnapshot,
      SnapshotUpkeep upkeep) {
    Tick steadyFrom = at(ticks, Math.max(0, restartAfter - STEADY_SECONDS));
    Tick restart = at(ticks, restartAfter);
    double steady = ratio(restart.hits() - steadyFrom.hits(), restart.reads() - steadyFrom.reads());
    // by the seconds the shop printed, not list positions: a shop JVM that starts slowly prints
    // its first tick late, as second 2, and no tick 1
    List<Tick> after = ticks.stream().filter(t -> t.second() > restartAfter).toList();
    int seconds = after.size();
    double[] hitRate = new double[seconds];
    long[] queries = new long[seconds];
    long[] reads = new long[seconds];
    Tick previous = restart;
    for (int i = 0; i < seconds; i++) {
      Tick tick = after.get(i);
      reads[i] = tick.reads() - previous.reads();
      hitRate[i] = ratio(tick.hits() - previous.hits(), reads[i]);
      queries[i] = tick.queries() - previous.queries();
      previous = tick;
    }
    Tick last = ticks.get(ticks.size() - 1);
    return new RestartMeasurement(
        run,
        steady,
        hitRate,
        queries,
        reads,
        last.rows() - restart.rows(),
        last.warmRows() - restart.warmRows(),
        last.errors() - restart.errors(),
        restoredFromSnapshot,
        upkeep);
  }

  /**
   * Seconds after the restart until a second's hit rate reached {@code share} of steady; -1 if it
   * never did.
   */
  int secondsTo(double share) {
    for (int i = 0; i < hitRate.length; i++) {
      if (reads[i] > 0 && hitRate[i] >= share * steadyHitRate) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The hit rate of the first second after the restart as a share of the steady hit rate. */
  double firstSecondShareOfSteady() {
    return hitRate.length == 0 || steadyHitRate == 0 ? 0 : hitRate[0] / steadyHitRate;
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

  /** The last tick at or before {@code second} (all zero before the first). */
  private static Tick at(List<Tick> ticks, int second) {
    Tick found = new Tick(0, 0, 0, 0, 0, 0, 0);
    for (Tick tick : ticks) {
      if (tick.second() <= second) {
        found = tick;
      }
    }
    return found;
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
