package dev.keywarm.runner.engine;

import dev.keywarm.runner.WarmProgress;
import dev.keywarm.runner.plan.PlanEntry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The live counters of one run, updated by loader, writer and dispatcher threads; read only through
 * {@link #snapshot}, the one place they are copied.
 */
public final class WarmCounters {

  final AtomicLong planned = new AtomicLong();
  final AtomicLong dispatched = new AtomicLong();
  final AtomicLong warmed = new AtomicLong();
  final AtomicLong skippedExisting = new AtomicLong();
  final AtomicLong missing = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong timedOut = new AtomicLong();
  final AtomicLong noLoader = new AtomicLong();

  /** Of {@link #noLoader}, the hash-field members (no field loader matches their hash's key). */
  final AtomicLong noFieldLoader = new AtomicLong();

  /**
   * Of {@link #missing}, hash fields a server before 7.4 had no safe hash for ({@link FieldWrite}).
   */
  final AtomicLong fieldsWithoutTtl = new AtomicLong();

  final AtomicLong restored = new AtomicLong();
  final AtomicLong snapshotSkipped = new AtomicLong();
  final AtomicLong bytesLoaded = new AtomicLong();
  final AtomicLong bytesWritten = new AtomicLong();
  final AtomicLong writeRetries = new AtomicLong();

  /** Keys whose loader call ended (any outcome): the denominator of the error rate. */
  final AtomicLong completed = new AtomicLong();

  final DoubleAdder presentWeight = new DoubleAdder();
  final AtomicLong presentPrimary = new AtomicLong();
  volatile double primaryWeight;
  volatile long primaryKeys;

  /** False until a plan was read: a run that failed before that has covered nothing. */
  volatile boolean planRead;

  /**
   * The counters now, with the run's state and its engine's concurrency (see {@link WarmProgress}).
   */
  public WarmProgress snapshot(String state, Concurrency concurrency, Duration elapsed) {
    return new WarmProgress(
        state,
        planned.get(),
        dispatched.get(),
        warmed.get(),
        skippedExisting.get(),
        missing.get(),
        failed.get(),
        timedOut.get(),
        noLoader.get(),
        noFieldLoader.get(),
        restored.get(),
        snapshotSkipped.get(),
        bytesWritten.get(),
        coverage(),
        concurrency.limit(),
        concurrency.lowestLimit(),
        concurrency.decreases(),
        elapsed);
  }

  /** A key of the plan is in the cache now: its weight counts towards the coverage. */
  void present(PlanEntry entry) {
    if (entry.source() == PlanEntry.Source.HOUR || entry.source() == PlanEntry.Source.OVERALL) {
      presentWeight.add(entry.weight());
      presentPrimary.incrementAndGet();
    }
  }

  /** The AIMD limit as a progress snapshot shows it. */
  public record Concurrency(int limit, int lowestLimit, long decreases) {

    /** Before an engine exists: the configured maximum, never cut. */
    public static Concurrency unchanged(int max) {
      return new Concurrency(max, max, 0);
    }
  }

  /**
   * Share of the primary ranking's weight now in the cache; see {@link WarmProgress#coverage()}.
   */
  private double coverage() {
    if (!planRead) {
      return 0.0;
    }
    if (primaryKeys == 0) {
      return 1.0;
    }
    if (primaryWeight > 0) {
      return Math.min(1.0, presentWeight.sum() / primaryWeight);
    }
    return (double) presentPrimary.get() / primaryKeys;
  }
}
