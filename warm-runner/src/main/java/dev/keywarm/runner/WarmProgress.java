package dev.keywarm.runner;

import java.time.Duration;

/**
 * A snapshot of a run's counters; {@code state} is planning, warming or done. {@code concurrencyLimit}
 * is the AIMD limit now, {@code lowestConcurrencyLimit} the lowest it went, {@code concurrencyDecreases}
 * how often it was cut (slow calls or timeouts, at most once per round of calls; never for failures).
 */
public record WarmProgress(
    String state,
    long planned,
    long dispatched,
    long warmed,
    long skippedExisting,
    long missing,
    long failed,
    long timedOut,
    long noLoader,
    long bytesWritten,
    double coverage,
    int concurrencyLimit,
    int lowestConcurrencyLimit,
    long concurrencyDecreases,
    Duration elapsed) {

  /** Keys with a final outcome. */
  public long done() {
    return warmed + skippedExisting + missing + failed + timedOut + noLoader;
  }
}
