package dev.keywarm.runner;

/**
 * The runner's only logger: one line on standard error per event, prefixed {@code [keywarm]}. No
 * logging library, for the same reason as the agent's: the runner ships inside the agent jar, in
 * someone else's JVM. Redis URLs reach a line only as {@link dev.keywarm.redis.RedisEndpoint}s,
 * which mask their passwords.
 */
public final class WarmLog {

  private static volatile boolean quiet;

  private WarmLog() {}

  /** Silences info lines (warnings still print); the CLI's progress bar uses this. */
  public static void setQuiet(boolean value) {
    quiet = value;
  }

  public static void info(String message) {
    if (!quiet) {
      System.err.println("[keywarm] " + message);
    }
  }

  public static void warn(String message) {
    System.err.println("[keywarm] WARN " + message);
  }
}
