package dev.keywarm.runner;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many loader calls may be in flight, adapted by AIMD (additive increase, multiplicative
 * decrease, as TCP congestion control). The limit starts at the configured maximum; each failed or
 * timed-out call, and each call slower than {@value #SLOW_FACTOR}× the latency baseline (and at least
 * {@value #SLOW_MIN_MILLIS} ms above it, so microsecond noise never counts), halves it (never below
 * 1); each normal call adds {@code 1/limit}, i.e. about +1 per limit's worth of calls, up to the
 * maximum. After a decrease, further decreases wait until as many calls as the new limit have
 * completed, so one burst of slow calls counts once (the calls already in flight saw the old load).
 *
 * <p>The baseline is an exponentially weighted mean of call latency with weight
 * {@value #BASELINE_WEIGHT}: it follows a lasting change within a few hundred calls, so a loader that
 * is permanently slower is eventually accepted as its new normal.
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
  private long completions;
  private long cooldownUntil;
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

  /** Waits up to {@code timeoutMillis} for a slot; false on timeout (the caller re-checks its stop conditions). */
  boolean tryAcquire(long timeoutMillis) throws InterruptedException {
    long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lock();
    try {
      while (inFlight >= (int) limit) {
        if (nanos <= 0) {
          return false;
        }
        nanos = freed.awaitNanos(nanos);
      }
      inFlight++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A call ended: {@code ok} false for an exception or a timeout. */
  void release(long latencyNanos, boolean ok) {
    lock.lock();
    try {
      inFlight--;
      completions++;
      boolean slow = false;
      if (ok) {
        if (baselineNanos < 0) {
          baselineNanos = latencyNanos;
        } else {
          slow = samples >= WARMUP_SAMPLES && latencyNanos > SLOW_FACTOR * baselineNanos
              && latencyNanos - baselineNanos > TimeUnit.MILLISECONDS.toNanos(SLOW_MIN_MILLIS);
          double weight = samples < WARMUP_SAMPLES ? 1.0 / (samples + 1) : BASELINE_WEIGHT;
          baselineNanos += weight * (latencyNanos - baselineNanos);
        }
        samples++;
      }
      if (!ok || slow) {
        if (completions >= cooldownUntil) {
          limit = Math.max(1, limit / 2);
          minLimit = Math.min(minLimit, (int) limit);
          decreases++;
          cooldownUntil = completions + (long) Math.ceil(limit);
        }
      } else {
        limit = Math.min(max, limit + 1 / limit);
      }
      freed.signalAll();
    } finally {
      lock.unlock();
    }
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
