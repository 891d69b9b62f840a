package dev.keywarm.runner;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/** The live counters of one run, updated by loader, writer and dispatcher threads. */
final class WarmCounters {

  final AtomicLong planned = new AtomicLong();
  final AtomicLong dispatched = new AtomicLong();
  final AtomicLong warmed = new AtomicLong();
  final AtomicLong skippedExisting = new AtomicLong();
  final AtomicLong missing = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong timedOut = new AtomicLong();
  final AtomicLong noLoader = new AtomicLong();
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

  /** Share of the primary ranking's weight now in the cache; see {@link WarmResult}. */
  double coverage() {
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
