package dev.keywarm.agent.log;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The agent's only logger: one line per event on standard error, prefixed {@code [keywarm]}.
 *
 * <p>Deliberately not a logging library: the agent runs inside someone else's JVM, and a logging
 * binding of ours on their class path (or an early initialisation of theirs) is exactly the kind of
 * clash a platform team cannot debug on a Friday afternoon. Callers never pass secrets here;
 * endpoint objects print themselves redacted.
 */
public final class AgentLog {

  public enum Level {
    DEBUG,
    INFO,
    WARN,
    OFF
  }

  private static volatile Level threshold = Level.INFO;
  private static volatile PrintStream out = System.err;

  private AgentLog() {}

  public static void setThreshold(Level level) {
    threshold = level;
  }

  public static boolean isDebug() {
    return threshold == Level.DEBUG;
  }

  public static void debug(String message) {
    log(Level.DEBUG, message);
  }

  public static void info(String message) {
    log(Level.INFO, message);
  }

  public static void warn(String message) {
    log(Level.WARN, message);
  }

  /** For the one error that stops the agent from starting: printed even when logging is off. */
  public static void error(String message) {
    out.println("[keywarm] ERROR " + message);
  }

  private static void log(Level level, String message) {
    if (level.ordinal() >= threshold.ordinal() && threshold != Level.OFF) {
      out.println("[keywarm] " + Instant.now() + " " + level + " " + message);
    }
  }
}
