package dev.keywarm.runner;

import java.time.Duration;

/**
 * A run's counters at one moment, immutable: the one snapshot that every output renders — the log
 * line, the CLI's progress bar, the MXBean, the readiness JSON and, as the progress at the end, the
 * {@link WarmResult} and its record in Redis. {@code state} is planning, warming or done. {@code
 * concurrencyLimit} is the AIMD limit now, {@code lowestConcurrencyLimit} the lowest it went,
 * {@code concurrencyDecreases} how often it was cut (slow calls or timeouts, at most once per round
 * of calls; never for failures). {@code coverage} is the share of the ranking's expected reads
 * (plan scores, or hits + misses in the fallback) whose keys are in the cache now: warmed or
 * already there.
 *
 * @param planned keys taken from the plan within the budget (including correlated keys)
 * @param warmed keys written by the runner (or stored by their loader)
 * @param skippedExisting keys already present, or written by the application while loading
 * @param missing keys whose loader returned no value
 * @param failed keys whose loader threw (an error response, an exception), or whose write failed
 * @param timedOut keys whose loader call outlived the per-call timeout, or whose loader threw a
 *     timeout exception
 * @param noLoader keys that no registered pattern matches
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
