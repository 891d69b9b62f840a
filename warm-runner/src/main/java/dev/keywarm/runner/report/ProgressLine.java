package dev.keywarm.runner.report;

import dev.keywarm.runner.WarmProgress;
import java.util.Locale;

/** The default progress log line. */
public final class ProgressLine {

  private ProgressLine() {}

  public static String of(String app, WarmProgress p) {
    return String.format(
        Locale.ROOT,
        "%s %s: %d/%d keys, coverage %.1f%%, warmed %d, restored %d, existing %d, missing %d, "
            + "failed %d, timed out %d, not restorable %d, concurrency %d, %ds",
        p.state(),
        app,
        p.done(),
        p.planned(),
        p.coverage() * 100,
        p.warmed(),
        p.restored(),
        p.skippedExisting(),
        p.missing(),
        p.failed(),
        p.timedOut(),
        p.snapshotSkipped(),
        p.concurrencyLimit(),
        p.elapsed().toSeconds());
  }
}
