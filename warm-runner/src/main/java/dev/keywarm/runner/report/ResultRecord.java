package dev.keywarm.runner.report;

import dev.keywarm.runner.WarmProgress;
import dev.keywarm.runner.WarmResult;
import dev.keywarm.schema.KeySchema.WarmResultField;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link WarmResult} as the {@code KeySchema.warmLastResult()} hash ({@link WarmResultField}s),
 * and back: the instance that warmed writes it, the instances that waited for it read it. Coverage
 * is written with four decimals in {@link Locale#ROOT}, whatever the JVM's locale.
 */
public final class ResultRecord {

  private ResultRecord() {}

  public static Map<String, String> fields(WarmResult result) {
    WarmProgress p = result.progress();
    Map<WarmResultField, String> fields = new EnumMap<>(WarmResultField.class);
    fields.put(WarmResultField.APP, result.app());
    fields.put(WarmResultField.INSTANCE, result.instance());
    fields.put(WarmResultField.STATUS, result.status().field());
    fields.put(WarmResultField.PLAN_SOURCE, result.planSource());
    counts(p).forEach((field, count) -> fields.put(field, Long.toString(count)));
    fields.put(WarmResultField.DURATION_MS, Long.toString(p.elapsed().toMillis()));
    fields.put(WarmResultField.EXPECTED_COVERAGE, coverage(p.coverage()));
    fields.put(WarmResultField.FINISHED_AT, result.finishedAt().toString());
    fields.put(WarmResultField.ERROR, result.error() == null ? "" : result.error());
    Map<String, String> hash = new LinkedHashMap<>();
    fields.forEach((field, value) -> hash.put(field.field(), value));
    return hash;
  }

  /**
   * The counts of a stored record (0 where absent or not a number), as a finished run's progress.
   */
  public static WarmProgress progress(
      Map<String, String> record, double coverage, Duration elapsed) {
    return new WarmProgress(
        "done",
        count(record, WarmResultField.PLANNED),
        0,
        count(record, WarmResultField.WARMED),
        count(record, WarmResultField.SKIPPED_EXISTING),
        count(record, WarmResultField.MISSING),
        count(record, WarmResultField.FAILED),
        count(record, WarmResultField.TIMED_OUT),
        count(record, WarmResultField.NO_LOADER),
        count(record, WarmResultField.NO_FIELD_LOADER),
        count(record, WarmResultField.RESTORED),
        count(record, WarmResultField.SNAPSHOT_SKIPPED),
        count(record, WarmResultField.BYTES_WRITTEN),
        coverage,
        0,
        0,
        0,
        elapsed);
  }

  /** The recorded expected coverage; 0 if absent or not a number. */
  public static double coverage(Map<String, String> record) {
    try {
      return Double.parseDouble(
          record.getOrDefault(WarmResultField.EXPECTED_COVERAGE.field(), "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The counts every output shows, by the field that names them (the readiness JSON shares them).
   */
  static Map<WarmResultField, Long> counts(WarmProgress p) {
    Map<WarmResultField, Long> counts = new EnumMap<>(WarmResultField.class);
    counts.put(WarmResultField.PLANNED, p.planned());
    counts.put(WarmResultField.WARMED, p.warmed());
    counts.put(WarmResultField.SKIPPED_EXISTING, p.skippedExisting());
    counts.put(WarmResultField.MISSING, p.missing());
    counts.put(WarmResultField.FAILED, p.failed());
    counts.put(WarmResultField.TIMED_OUT, p.timedOut());
    counts.put(WarmResultField.NO_LOADER, p.noLoader());
    counts.put(WarmResultField.NO_FIELD_LOADER, p.noFieldLoader());
    counts.put(WarmResultField.RESTORED, p.restored());
    counts.put(WarmResultField.SNAPSHOT_SKIPPED, p.snapshotSkipped());
    counts.put(WarmResultField.BYTES_WRITTEN, p.bytesWritten());
    return counts;
  }

  static String coverage(double coverage) {
    return String.format(Locale.ROOT, "%.4f", coverage);
  }

  private static long count(Map<String, String> record, WarmResultField field) {
    try {
      return Long.parseLong(record.getOrDefault(field.field(), "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
