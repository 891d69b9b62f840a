package dev.keywarm.runner.cli;

import dev.keywarm.runner.WarmProgress;
import java.io.PrintStream;
import java.util.Locale;

/** One self-overwriting line ({@code \r}) on a terminal: a bar of keys done, coverage, failures. */
final class ProgressBar {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private boolean drawn;

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  synchronized void draw(WarmProgress p) {
    double share = p.planned() == 0 ? 0 : Math.min(1.0, (double) p.done() / p.planned());
    int filled = (int) Math.round(share * WIDTH);
    out.print(
        String.format(
            Locale.ROOT,
            "\r[keywarm] [%s%s] %3.0f%% %d/%d keys, coverage %.1f%%, failed %d, timed out %d ",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            share * 100,
            p.done(),
            p.planned(),
            p.coverage() * 100,
            p.failed(),
            p.timedOut()));
    out.flush();
    drawn = true;
  }

  /** Ends the bar's line so that the next log line starts clean. */
  synchronized void finish() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }
}
