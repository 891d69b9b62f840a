package dev.keywarm.runner.engine;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Spreads the expiries of loaded values so that a warm never schedules a second herd: a warm of 20
 * 000 keys written in 2 s with one TTL would have them all expire within the same 2 s, exactly one
 * TTL later. Each TTL T becomes a draw from [(1 − j)·T, T] — never longer than the application's
 * own TTL, so a warmed value is never kept past what the application accepted — which spreads a
 * warm's expiries evenly over j·T (with the default 0.2 and T = 10 min, over 2 minutes: no second
 * holds more than about 1 % of them). Values without expiry stay without; restored and copied
 * values ({@code DUMP}) are not jittered: their remaining TTLs were spread by the application.
 */
final class TtlJitter {

  private final double jitter;

  TtlJitter(double jitter) {
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
    }
    this.jitter = jitter;
  }

  /** A TTL in ms (0: none) made one of [(1 − j)·T, T], at least 1 ms. */
  long apply(long ttlMillis) {
    if (ttlMillis <= 0 || jitter == 0) {
      return ttlMillis;
    }
    long shortest = Math.max(1, (long) Math.ceil(ttlMillis * (1 - jitter)));
    return shortest >= ttlMillis
        ? ttlMillis
        : ThreadLocalRandom.current().nextLong(shortest, ttlMillis + 1);
  }
}
