package dev.keywarm.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * How one warm run ended: who ran it, with which status and plan, and its {@link WarmProgress} at
 * the end (counts, coverage, duration). Stored in the stats Redis ({@code
 * KeySchema.warmLastResult()}, see {@code report.ResultRecord}) and printed ({@link #summary()}).
 */
public record WarmResult(
    String app,
    String instance,
    WarmStatus status,
    String planSource,
    WarmProgress progress,
    Instant finishedAt,
    String error) {

  /** Share of the ranking's expected reads whose keys are in the cache at the end. */
  public double expectedCoverage() {
    return progress.coverage();
  }

  public Duration duration() {
    return progress.elapsed();
  }

  /** True if the run finished its plan (or budget) and reached {@code targetCoverage}. */
  public boolean reached(double targetCoverage) {
    return (status.finishedPlan() || status == WarmStatus.FOLLOWED_LEADER)
        && expectedCoverage() + 1e-9 >= targetCoverage;
  }

  /** One line for the log and the CLI. */
  public String summary() {
    WarmProgress p = progress;
    return String.format(
        Locale.ROOT,
        "warm %s: planned=%d warmed=%d restored=%d skipped-existing=%d missing=%d failed=%d "
            + "timed-out=%d no-loader=%d (fields %d) not-restorable=%d bytes=%d duration=%dms "
            + "expected-coverage=%.1f%% (%s)%s",
        status.field(),
        p.planned(),
        p.warmed(),
        p.restored(),
        p.skippedExisting(),
        p.missing(),
        p.failed(),
        p.timedOut(),
        p.noLoader(),
        p.noFieldLoader(),
        p.snapshotSkipped(),
        p.bytesWritten(),
        p.elapsed().toMillis(),
        p.coverage() * 100,
        planSource,
        error == null ? "" : " error: " + error);
  }
}
