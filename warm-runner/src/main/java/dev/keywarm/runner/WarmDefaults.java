package dev.keywarm.runner;

/**
 * The defaults of every {@link WarmSettings} knob that has one, in one place: {@link
 * WarmRunner.Builder} starts from them and the CLI's options name them as their {@code
 * defaultValue} (numbers as {@code "" + CONSTANT}, a constant expression; durations in the duration
 * grammar, which both parse).
 */
public final class WarmDefaults {

  public static final int CONCURRENCY = 8;

  /** Loads per second; 0 is unlimited. */
  public static final int RATE_PER_SECOND = 500;

  public static final int MAX_KEYS = 100_000;

  /** Value bytes; 0 is no limit. */
  public static final long MAX_BYTES = 0;

  public static final String CALL_TIMEOUT = "2s";

  /** {@code 0} is no expiry. */
  public static final String DEFAULT_TTL = "1h";

  /**
   * Loaded values expire after a TTL drawn uniformly from [(1 − j)·T, T]: a warm written in 2 s
   * with one TTL would otherwise expire in the same 2 s, a second herd. With 0.2 the expiries of a
   * warm spread over a fifth of the TTL (2 minutes for 10 min).
   */
  public static final double TTL_JITTER = 0.2;

  public static final int HISTORY_DAYS = 7;
  public static final double MIN_PAIR_LIFT = 2.0;
  public static final double MAX_ERROR_RATE = 0.5;
  public static final int WRITERS = 1;
  public static final int WRITE_BATCH = 512;
  public static final String REDIS_TIMEOUT = "2s";
  public static final String REDIS_GIVE_UP_AFTER = "30s";
  public static final String LEASE_TTL = "30s";
  public static final double TARGET_COVERAGE = 0.95;

  /** -1 is no endpoint, 0 any free port. */
  public static final int READINESS_PORT = -1;

  public static final String PROGRESS_INTERVAL = "5s";

  private WarmDefaults() {}
}
