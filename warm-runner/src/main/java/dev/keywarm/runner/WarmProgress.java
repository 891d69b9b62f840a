package dev.keywarm.runner;

import java.time.Duration;

/**
 * A run's counters at one moment, immutable: the one snapshot that every output renders — the log
 * line, the CLI's progress bar, the MXBean, the readiness JSON and, as the progress at the end, the
 * {@link WarmResult} and its record in Redis. {@code state} is planning, warming or done. {@code
 * concurrencyLimit} is the AIMD limit now, {@code lowestConcurrencyLimit} the lowest it went,
 * {@code concurrencyDecreases} how often it was cut (slow calls or timeouts, at most once per round
 * of calls; never for failures). {@code coverage} is the share of the ranking's expected reads
 * (plan scores, or hits + misses in the fallback) whose keys are in the cache now: warmed, restored
 * from the snapshot, or already there.
 *
 * @param planned snapshot entries read (at most {@code maxKeys}, hottest first) and keys taken from
 *     the plan within the budget (including correlated keys); a plan key that the snapshot's
 *     restore already put in the cache (or found there) is not planned again
 * @param warmed keys written by the runner from a loader's value (or stored by their loader)
 * @param skippedExisting keys already present, or written by the application while loading or
 *     restoring ({@code SET NX} declined, {@code RESTORE} answered {@code BUSYKEY})
 * @param missing keys whose loader returned no value
 * @param failed keys whose loader threw (an error response, an exception), or whose write failed
 *     (including a {@code RESTORE} that Redis refused, e.g. a payload of a newer Redis version)
 * @param timedOut keys whose loader call outlived the per-call timeout, or whose loader threw a
 *     timeout exception
 * @param noLoader keys that no registered pattern matches: plain keys without a key loader and hash
 *     fields without a field loader
 * @param noFieldLoader of {@code noLoader}, the hash fields (no field loader's pattern matches the
 *     hash's key); a part of it, not an outcome of its own
 * @param restored snapshot entries put back with {@code RESTORE} (the key did not exist)
 * @param snapshotSkipped snapshot entries not restorable ({@code SnapshotEntry.restorable}): the
 *     key was written, deleted or given another expiry since it was read (or before the snapshot's
 *     {@code invalid_before}), it has expired, the entry is older than the invalidations kept, it
 *     does not decode, or its value was missing from the snapshot
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
    long noFieldLoader,
    long restored,
    long snapshotSkipped,
    long bytesWritten,
    double coverage,
    int concurrencyLimit,
    int lowestConcurrencyLimit,
    long concurrencyDecreases,
    Duration elapsed) {

  /** Keys with a final outcome. */
  public long done() {
    return warmed
        + restored
        + snapshotSkipped
        + skippedExisting
        + missing
        + failed
        + timedOut
        + noLoader;
  }
}
