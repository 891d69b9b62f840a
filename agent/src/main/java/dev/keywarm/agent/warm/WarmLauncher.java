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
    warm(why, cache, applicationLoader, null);
  }

  /**
   * {@link #warm(String, RedisEndpoint, ClassLoader)}; {@code onReady} (null: none) runs once when
   * the warm is first ready (coverage target or end) — or at once if no warm could be started.
   */
  public void warm(
      String why, RedisEndpoint cache, ClassLoader applicationLoader, Runnable onReady) {
    if (!running.compareAndSet(false, true)) {
      AgentLog.info("warm already running; not starting another (" + why + ")");
      runQuietly(onReady);
      return;
    }
    try {
      List<String> args = arguments(cache);
      AgentLog.info("warming " + cache + " (" + why + ")");
      Method start = entry();
      CompletableFuture<?> result =
          (CompletableFuture<?>)
              start
                  .getDeclaringClass()
                  .getMethod("start", String[].class, ClassLoader.class, Runnable.class)
                  .invoke(null, args.toArray(new String[0]), applicationLoader, onReady);
      result.whenComplete(
          (summary, error) -> {
            running.set(false);
            AgentLog.info(error == null ? "warm finished: " + summary : "warm failed: " + error);
            runQuietly(onReady); // a warm that ended without being ready (failed, cancelled)
          });
    } catch (Throwable t) {
      running.set(false);
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      AgentLog.warn("could not start a warm: " + cause.getMessage());
      runQuietly(onReady);
    }
  }

  private static void runQuietly(Runnable task) {
    if (task != null) {
      try {
        task.run();
      } catch (Throwable ignored) {
        // a listener's failure is not the warm's
      }
    }
  }

  /**
   * Prepares the runner ahead of need, on a background thread, once the cache Redis is known:
   * extracting the nested jar, loading its classes and making its first connection would otherwise
   * delay the first warm after a restart by a second or more in a busy JVM. A failure only means
   * the warm does it later.
   */
  public void prepareInBackground(java.util.function.Supplier<RedisEndpoint> cache) {
    Thread prepare =
        new Thread(
            () -> {
              try {
                while (cache.get() == null) {
                  Thread.sleep(200);
                }
                Method entry = entry();
                entry
                    .getDeclaringClass()
                    .getMethod("prepare", String[].class)
                    .invoke(null, (Object) arguments(cache.get()).toArray(new String[0]));
              } catch (Throwable t) {
                AgentLog.debug("runner not prepared ahead: " + t);
              }
            },
            "keywarm-warm-prepare");
    prepare.setDaemon(true);
    prepare.start();
  }

  private List<String> arguments(RedisEndpoint cache) {
    List<String> args =
        new ArrayList<>(List.of("--redis", cache.toUrl(), "--app", app, "--progress", "lines"));
    if (stats != null && !stats.equals(cache)) {
      args.add("--stats-redis");
      args.add(stats.toUrl());
    }
    args.addAll(extraArgs);
    return args;
  }

  /**
   * The runner's re-warmer for {@code rewarm=on-delete}, started: it takes deleted keys and loads
   * the hot ones again after {@code delayMillis}. Throws if the runner cannot start it (bad warm
   * flags): the caller logs one line and deletes are not re-warmed.
   */
  @SuppressWarnings("unchecked")
  public java.util.function.Consumer<byte[]> rewarmer(
      RedisEndpoint cache, ClassLoader applicationLoader, long delayMillis) throws Exception {
    Method rewarmer =
        entry()
            .getDeclaringClass()
            .getMethod("rewarmer", String[].class, ClassLoader.class, long.class);
    try {
      return (java.util.function.Consumer<byte[]>)
          rewarmer.invoke(
              null, arguments(cache).toArray(new String[0]), applicationLoader, delayMillis);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * Starts the runner's standing warm ({@code standing=…}) with the application's loaders; the
   * returned handle stops it. {@code options}: the agent's standing options as text.
   *
   * @throws IllegalArgumentException with the runner's one-line message for a bad option
   */
  public AutoCloseable standingWarm(
      RedisEndpoint cache, ClassLoader applicationLoader, java.util.Map<String, String> options)
      throws Exception {
    Method standing =
        entry()
            .getDeclaringClass()
            .getMethod("standingWarm", String[].class, ClassLoader.class, java.util.Map.class);
    try {
      return (AutoCloseable)
          standing.invoke(
              null, arguments(cache).toArray(new String[0]), applicationLoader, options);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  public boolean isRunning() {
    return running.get();
  }

  private synchronized Method entry() throws IOException, ReflectiveOperationException {
    if (start == null) {
      // parent: the platform loader — it delegates to the bootstrap loader, where the agent jar
      // (and the loader API) lives, and it defines java.net.http and jdk.httpserver, which the
      // runner's HTTP loader and readiness endpoint need (a null parent would hide them)
      ClassLoader loader =
          NestedJar.load(agentJar, NestedJar.WARM_RUNNER, ClassLoader.getPlatformClassLoader());
      start =
          Class.forName(ENTRY, true, loader).getMethod("start", String[].class, ClassLoader.class);
    }
    return start;
  }
}
