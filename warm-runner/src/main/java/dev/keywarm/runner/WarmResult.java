package dev.keywarm.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The record of one warm run, stored in the stats Redis ({@code KeySchema.warmLastResult()} hash) and
 * printed. {@code expectedCoverage} is the share of the ranking's expected reads (plan scores, or
 * hits + misses in the fallback) whose keys are in the cache at the end: warmed or already there.
 *
 * @param planned keys taken from the plan within the budget (including correlated keys)
 * @param warmed keys written by the runner (or stored by their loader)
 * @param skippedExisting keys already present, or written by the application while loading
 * @param missing keys whose loader returned no value
 * @param failed keys whose loader threw (an error response, an exception), or whose write failed
 * @param timedOut keys whose loader call outlived the per-call timeout, or whose loader threw a
 *     timeout exception (see {@link CallOutcome})
 * @param noLoader keys that no registered pattern matches
 */
public record WarmResult(
    String app,
    String instance,
    WarmStatus status,
    String planSource,
    long planned,
    long warmed,
    long skippedExisting,
    long missing,
    long failed,
    long timedOut,
    long noLoader,
    long bytesWritten,
    Duration duration,
    double expectedCoverage,
    Instant finishedAt,
    String error) {

  /** True if the run finished its plan (or budget) and reached {@code targetCoverage}. */
  public boolean reached(double targetCoverage) {
    return (status == WarmStatus.COMPLETED || status == WarmStatus.BUDGET_REACHED
        || status == WarmStatus.FOLLOWED_LEADER) && expectedCoverage + 1e-9 >= targetCoverage;
  }

  /** The fields of the result hash, as strings. */
  public Map<String, String> toFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("app", app);
    fields.put("instance", instance);
    fields.put("status", status.name().toLowerCase(Locale.ROOT));
    fields.put("plan_source", planSource);
    fields.put("planned", Long.toString(planned));
    fields.put("warmed", Long.toString(warmed));
    fields.put("skipped_existing", Long.toString(skippedExisting));
    fields.put("missing", Long.toString(missing));
    fields.put("failed", Long.toString(failed));
    fields.put("timed_out", Long.toString(timedOut));
    fields.put("no_loader", Long.toString(noLoader));
    fields.put("bytes_written", Long.toString(bytesWritten));
    fields.put("duration_ms", Long.toString(duration.toMillis()));
    fields.put("expected_coverage", String.format(Locale.ROOT, "%.4f", expectedCoverage));
    fields.put("finished_at", finishedAt.toString());
    fields.put("error", error == null ? "" : error);
    return fields;
  }

  /** One line for the log and the CLI. */
  public String summary() {
    return String.format(Locale.ROOT,
        "warm %s: planned=%d warmed=%d skipped-existing=%d missing=%d failed=%d timed-out=%d "
            + "no-loader=%d bytes=%d duration=%dms expected-coverage=%.1f%% (%s)%s",
        status.name().toLowerCase(Locale.ROOT), planned, warmed, skippedExisting, missing, failed,
        timedOut, noLoader, bytesWritten, duration.toMillis(), expectedCoverage * 100, planSource,
        error == null ? "" : " error: " + error);
  }
}
