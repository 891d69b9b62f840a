package dev.keywarm.agent.warm;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.redis.RedisEndpoint;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code standing=…}, the agent's half: starts the warm-runner's standing warm (next-hour,
 * refresh-ahead, lazy, scheduled; one instance per app through its lease) once the cache Redis and
 * the application's class loader (where its loaders live) are known, and stops it when the JVM
 * exits. A failure to start is one warning line; the application never notices.
 */
public final class StandingWarmStart {

  private volatile AutoCloseable running;
  private volatile boolean stopped;
  private volatile Thread starter;

  /** Starts it in the background; returns at once. */
  public void startWhenReady(
      WarmLauncher launcher,
      Supplier<RedisEndpoint> cache,
      Supplier<ClassLoader> applicationLoader,
      Map<String, String> options) {
    starter =
        WhenConnected.start(
            "keywarm-standing-start",
            "standing=" + options.get("standing"),
            cache,
            applicationLoader,
            (endpoint, loader) -> {
              running = launcher.standingWarm(endpoint, loader, options);
              if (stopped) { // the JVM began to exit while it started
                stop();
                return;
              }
              AgentLog.info("standing warm started: " + options.get("standing"));
            });
  }

  /**
   * The runner's counters by name ({@code lease_holder}, {@code refresh-ahead.loaded}, …; see the
   * runner's {@code StandingWarm.get}); empty until it runs.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Number> counters() {
    AutoCloseable service = running;
    if (service instanceof java.util.function.Supplier<?> supplier) {
      try {
        Object counters = supplier.get();
        if (counters instanceof Map<?, ?> map) {
          return (Map<String, Number>) map;
        }
      } catch (RuntimeException ignored) {
        // a scrape never fails because of the standing warm
      }
    }
    return Map.of();
  }

  /** {@link #stop} on a thread of its own (at JVM exit, beside the final flush). */
  public Thread stopInBackground() {
    Thread stopping = new Thread(this::stop, "keywarm-standing-stop");
    stopping.setDaemon(true);
    stopping.start();
    return stopping;
  }

  /** Stops it, or keeps it from starting (at JVM exit); never throws. */
  public void stop() {
    stopped = true;
    Thread start = starter;
    if (start != null && running == null) {
      start.interrupt(); // still waiting for the application's first connection
    }
    AutoCloseable service = running;
    running = null;
    if (service != null) {
      try {
        service.close();
      } catch (Throwable ignored) {
        // exiting anyway
      }
    }
  }
}
