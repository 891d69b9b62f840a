package dev.keywarm.agent.warm;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.redis.RedisEndpoint;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the warm-runner the agent jar carries ({@link NestedJar#WARM_RUNNER}), in its own {@link
 * RunnerClassLoader}, on a background thread: the application is never delayed and never sees the
 * runner's classes. One warm at a time per JVM (a trigger that fires during a warm is dropped, it
 * would warm the same plan); across the fleet the runner's lease makes it one warm per app.
 *
 * <p>The runner takes the same flags as {@code keywarm warm}; the agent passes the cache Redis, the
 * app, the stats Redis, and then the user's {@code warmargs}.
 */
public final class WarmLauncher {

  private static final String ENTRY = "dev.keywarm.runner.AgentEntry";

  private final File agentJar;
  private final String app;
  private final RedisEndpoint stats;
  private final List<String> extraArgs;
  private final AtomicBoolean running = new AtomicBoolean();
  private Method start;

  public WarmLauncher(File agentJar, String app, RedisEndpoint stats, List<String> extraArgs) {
    this.agentJar = agentJar;
    this.app = app;
    this.stats = stats;
    this.extraArgs = extraArgs;
  }

  /** Warms {@code cache} in the background unless a warm is already running. Never throws. */
  public void warm(String why, RedisEndpoint cache, ClassLoader applicationLoader) {
    if (!running.compareAndSet(false, true)) {
      AgentLog.info("warm already running; not starting another (" + why + ")");
      return;
    }
    try {
      List<String> args =
          new ArrayList<>(List.of("--redis", cache.toUrl(), "--app", app, "--progress", "lines"));
      if (stats != null && !stats.equals(cache)) {
        args.add("--stats-redis");
        args.add(stats.toUrl());
      }
      args.addAll(extraArgs);
      AgentLog.info("warming " + cache + " (" + why + ")");
      CompletableFuture<?> result =
          (CompletableFuture<?>)
              entry().invoke(null, args.toArray(new String[0]), applicationLoader);
      result.whenComplete(
          (summary, error) -> {
            running.set(false);
            AgentLog.info(error == null ? "warm finished: " + summary : "warm failed: " + error);
          });
    } catch (Throwable t) {
      running.set(false);
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      AgentLog.warn("could not start a warm: " + cause.getMessage());
    }
  }

  public boolean isRunning() {
    return running.get();
  }

  private synchronized Method entry() throws IOException, ReflectiveOperationException {
    if (start == null) {
      // parent: the bootstrap loader, where the agent jar (and the loader API) lives
      ClassLoader loader = NestedJar.load(agentJar, NestedJar.WARM_RUNNER, null);
      start =
          Class.forName(ENTRY, true, loader).getMethod("start", String[].class, ClassLoader.class);
    }
    return start;
  }
}
