package dev.keywarm.runner;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A warm running in the background: its live progress, its result when done, and a way to stop it.
 */
public final class WarmHandle {

  private final CompletableFuture<WarmResult> result;
  private final Supplier<WarmProgress> progress;
  private final Runnable cancel;

  WarmHandle(
      CompletableFuture<WarmResult> result, Supplier<WarmProgress> progress, Runnable cancel) {
    this.result = result;
    this.progress = progress;
    this.cancel = cancel;
  }

  public WarmProgress progress() {
    return progress.get();
  }

  /** Completes with the result record; never completes exceptionally (failures are a status). */
  public CompletableFuture<WarmResult> result() {
    return result;
  }

  public boolean isDone() {
    return result.isDone();
  }

  /** Waits for the result. */
  public WarmResult await() throws InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Waits for the result at most {@code timeout}. */
  public WarmResult await(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Stops dispatching; calls in flight finish (or time out) and the result says CANCELLED. */
  public void cancel() {
    cancel.run();
  }
}
