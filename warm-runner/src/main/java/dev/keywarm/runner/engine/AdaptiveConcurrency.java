package dev.keywarm.runner.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many loader calls may be in flight, adapted by AIMD (additive increase, multiplicative
 * decrease, as TCP congestion control). The limit starts at the configured maximum. Two signals say
 * the backend is overloaded and halve it (never below 1): a timed-out call, and a call slower than
 * {@value #SLOW_FACTOR}× the latency baseline (and at least {@value #SLOW_MIN_MILLIS} ms above it,
 * so microsecond noise never counts). A failed call — an error response, an exception — is an
 * answer, not a sign of load: it frees its slot and changes nothing else. Each normal call adds
 * {@code 1/limit}, i.e. about +1 per limit's worth of calls, up to the maximum.
 *
 * <p>At most one cut per round of calls, like TCP NewReno's one cut per window: every call carries
 * the sequence number it was dispatched with, and a cut records the newest number issued so far.
 * Calls dispatched up to then were already in flight under the old limit — their timeouts and slow
 * answers describe the load the cut reacted to — so they neither cut again nor grow the limit; only
 * calls dispatched after the cut do. A burst of timeouts among the calls in flight therefore halves
 * the limit once, not once per call.
 *
 * <p>The baseline is an exponentially weighted mean of the latency of normal calls with weight
 * {@value #BASELINE_WEIGHT}: it follows a lasting change within a few hundred calls, so a loader
 * that is permanently slower is eventually accepted as its new normal.
 */
final class AdaptiveConcurrency {

  static final double SLOW_FACTOR = 3.0;
  static final long SLOW_MIN_MILLIS = 2;
  static final double BASELINE_WEIGHT = 0.02;
  private static final int WARMUP_SAMPLES = 20;

  private final int max;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private double limit;
  private int inFlight;
  private double baselineNanos = -1;
  private long samples;
  private long issued;
  private long lastBeforeCut = -1;
  private long decreases;
  private int minLimit;

  AdaptiveConcurrency(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1: " + max);
    }
    this.max = max;
    this.limit = max;
    this.minLimit = max;
  }

  /**
   * Waits up to {@code timeoutMillis} for a slot.
   *
   * @return the call's sequence number, to pass to {@link #release} or {@link #cancel}; -1 on
   *     timeout (the caller re-checks its stop conditions)
   */
  long tryAcquire(long timeoutMillis) throws InterruptedException {
    long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lock();
    try {
      while (inFlight >= (int) limit) {
        if (nanos <= 0) {
          return -1;
        }
        nanos = freed.awaitNanos(nanos);
      }
      inFlight++;
      return issued++;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back a slot that was never used for a call. */
  void cancel(long ticket) {
    lock.lock();
    try {
      inFlight--;
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The call dispatched as {@code ticket} ended after {@code latencyNanos}. */
  void release(long ticket, long latencyNanos, CallOutcome outcome) {
    lock.lock();
    try {
      inFlight--;
      boolean overload = outcome == CallOutcome.TIMED_OUT;
      if (outcome == CallOutcome.OK) {
        overload =
            slowSample(latencyNanos); // every normal call feeds the baseline, whatever its round
      }
      if (ticket > lastBeforeCut) { // dispatched after the last cut: its signal is news
        if (overload) {
          limit = Math.max(1, limit / 2);
          minLimit = Math.min(minLimit, (int) limit);
          decreases++;
          lastBeforeCut = issued - 1;
        } else if (outcome == CallOutcome.OK) {
          limit = Math.min(max, limit + 1 / limit);
        }
      }
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a normal call's latency to the baseline; true if it was slow against the baseline before.
   */
  private boolean slowSample(long latencyNanos) {
    boolean slow = false;
    if (baselineNanos < 0) {
      baselineNanos = latencyNanos;
    } else {
      slow =
          samples >= WARMUP_SAMPLES
              && latencyNanos > SLOW_FACTOR * baselineNanos
              && latencyNanos - baselineNanos > TimeUnit.MILLISECONDS.toNanos(SLOW_MIN_MILLIS);
      double weight = samples < WARMUP_SAMPLES ? 1.0 / (samples + 1) : BASELINE_WEIGHT;
      baselineNanos += weight * (latencyNanos - baselineNanos);
    }
    samples++;
    return slow;
  }

  /** Waits until no call is in flight, up to {@code timeoutMillis}; false if some still are. */
  boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lock();
    try {
      while (inFlight > 0) {
        if (nanos <= 0) {
          return false;
        }
        nanos = freed.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  int limit() {
    lock.lock();
    try {
      return (int) limit;
    } finally {
      lock.unlock();
    }
  }

  int minLimit() {
    lock.lock();
    try {
      return minLimit;
    } finally {
      lock.unlock();
    }
  }

  long decreases() {
    lock.lock();
    try {
      return decreases;
    } finally {
      lock.unlock();
    }
  }

  double baselineMillis() {
    lock.lock();
    try {
      return baselineNanos < 0 ? 0 : baselineNanos / 1e6;
    } finally {
      lock.unlock();
    }
  }
}
