package dev.keywarm.runner.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Token bucket: {@code perSecond} tokens a second, at most a tenth of a second's worth banked, so a
 * stall never turns into a burst larger than that. One caller (the dispatcher) at a time; a rate of
 * 0 means unlimited. Used by the warm's dispatcher and the standing warm's scheduler thread.
 */
public final class RateLimiter {

  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last = System.nanoTime();

  public RateLimiter(double perSecond) {
    this.perNano = perSecond / TimeUnit.SECONDS.toNanos(1);
    this.capacity = Math.max(1, perSecond / 10);
    this.tokens = capacity;
  }

  /** Blocks until {@code n} tokens are available, or returns false if interrupted. */
  public boolean acquire(int n) {
    if (perNano <= 0) {
      return true;
    }
    while (true) {
      long now = System.nanoTime();
      tokens = Math.min(Math.max(capacity, n), tokens + (now - last) * perNano);
      last = now;
      if (tokens >= n) {
        tokens -= n;
        return true;
      }
      LockSupport.parkNanos((long) ((n - tokens) / perNano));
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
  }
}
