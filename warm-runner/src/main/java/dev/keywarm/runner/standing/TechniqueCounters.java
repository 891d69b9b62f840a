package dev.keywarm.runner.standing;

import dev.keywarm.runner.report.StandingTechniqueStats;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One technique's counters since start ({@link StandingTechniqueStats} says what each means):
 * written by the scheduler thread, read by JMX, the meters and the log line.
 */
final class TechniqueCounters {

  final AtomicLong rounds = new AtomicLong();
  final AtomicLong candidates = new AtomicLong();
  final AtomicLong loaded = new AtomicLong();
  final AtomicLong present = new AtomicLong();
  final AtomicLong applicationWroteFirst = new AtomicLong();
  final AtomicLong noLoader = new AtomicLong();
  final AtomicLong missing = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong timedOut = new AtomicLong();
  final AtomicLong noTtl = new AtomicLong();
  final AtomicLong skipped = new AtomicLong();
  final AtomicLong ttlTooShort = new AtomicLong();
  final AtomicLong unchanged = new AtomicLong();

  private volatile double roundWeight;
  private volatile double roundLoadedWeight;
  private volatile double keysPerSecond;
  private long loadedAtLastRate;
  private long lastRateNanos = System.nanoTime();

  /** A round starts whose candidates and present keys weigh {@code weight} in all. */
  void startRound(double weight) {
    rounds.incrementAndGet();
    roundWeight = weight;
    roundLoadedWeight = 0;
  }

  void loaded(double weight) {
    loaded.incrementAndGet();
    roundLoadedWeight += weight; // the scheduler thread only
  }

  /** Updates keys/s from the loads since the last call; called once a minute. */
  void measureRate(long nowNanos) {
    long now = loaded.get();
    double seconds = (nowNanos - lastRateNanos) / 1e9;
    keysPerSecond = seconds > 0 ? (now - loadedAtLastRate) / seconds : 0;
    loadedAtLastRate = now;
    lastRateNanos = nowNanos;
  }

  double coverageGained() {
    double weight = roundWeight;
    return weight > 0 ? Math.min(1, roundLoadedWeight / weight) : 0;
  }

  /** Anything to report: a technique that never found work has no line. */
  boolean active() {
    return rounds.get() > 0;
  }

  StandingTechniqueStats snapshot(boolean enabled) {
    return new StandingTechniqueStats(
        enabled,
        rounds.get(),
        candidates.get(),
        loaded.get(),
        present.get(),
        applicationWroteFirst.get(),
        noLoader.get(),
        missing.get(),
        failed.get(),
        timedOut.get(),
        noTtl.get(),
        skipped.get(),
        ttlTooShort.get(),
        unchanged.get(),
        keysPerSecond,
        coverageGained());
  }

  /** {@code loaded=12 present=3 ...}, for the once-a-minute line. */
  String describe(String loadedName) {
    return String.format(
        java.util.Locale.ROOT,
        "rounds=%d %s=%d present=%d application-wrote-first=%d skipped=%d no-loader=%d"
            + " missing=%d failed=%d timed-out=%d no-ttl=%d ttl-too-short=%d unchanged=%d keys/s=%.1f"
            + " coverage-gained=%.3f",
        rounds.get(),
        loadedName,
        loaded.get(),
        present.get(),
        applicationWroteFirst.get(),
        skipped.get(),
        noLoader.get(),
        missing.get(),
        failed.get(),
        timedOut.get(),
        noTtl.get(),
        ttlTooShort.get(),
        unchanged.get(),
        keysPerSecond,
        coverageGained());
  }

  /** The counters as meters: {@code <technique>.<counter>}, monotonic except the last two. */
  void meters(String technique, Map<String, Number> out) {
    out.put(technique + ".rounds", rounds.get());
    out.put(technique + ".candidates", candidates.get());
    out.put(technique + ".loaded", loaded.get());
    out.put(technique + ".present", present.get());
    out.put(technique + ".application_wrote_first", applicationWroteFirst.get());
    out.put(technique + ".skipped", skipped.get());
    out.put(technique + ".no_loader", noLoader.get());
    out.put(technique + ".missing", missing.get());
    out.put(technique + ".failed", failed.get());
    out.put(technique + ".timed_out", timedOut.get());
    out.put(technique + ".no_ttl", noTtl.get());
    out.put(technique + ".ttl_too_short", ttlTooShort.get());
    out.put(technique + ".unchanged", unchanged.get());
    out.put(technique + ".keys_per_second", keysPerSecond);
    out.put(technique + ".coverage_gained", coverageGained());
  }
}
