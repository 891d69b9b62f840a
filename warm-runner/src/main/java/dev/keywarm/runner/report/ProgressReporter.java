package dev.keywarm.runner.report;

import dev.keywarm.runner.WarmProgress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A daemon thread that, every {@code interval}, hands the run's progress to its listener (a log
 * line, the CLI's bar) and to {@link Readiness}: ready once the coverage reached the target while
 * warming.
 */
public final class ProgressReporter implements AutoCloseable {

  private final Thread thread;

  public ProgressReporter(
      String app,
      Duration interval,
      Supplier<WarmProgress> progress,
      Consumer<WarmProgress> listener,
      Readiness readiness,
      double targetCoverage) {
    thread =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                WarmProgress p = progress.get();
                listener.accept(p);
                readiness.update(
                    p.coverage() >= targetCoverage && "warming".equals(p.state()) && p.done() > 0,
                    "running",
                    p);
              }
            },
            "keywarm-progress-" + app);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
