package dev.keywarm.agent.warm;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.redis.RedisEndpoint;
import java.util.function.Supplier;

/**
 * Starts a part of the warm-runner that needs the cache Redis and the application's class loader
 * (where its loaders live) once both are known — the application's first connection tells both — on
 * a daemon thread of its own, so neither the agent's start nor the application waits for it. A
 * failure to start is one warning line.
 */
final class WhenConnected {

  /** What to start, with what the application's connection told. */
  interface Start {
    void run(RedisEndpoint cache, ClassLoader applicationLoader) throws Exception;
  }

  private WhenConnected() {}

  /**
   * @param what how the log names it when it cannot start, e.g. {@code rewarm=on-delete}
   * @return the thread, already started (interrupt it to give up waiting)
   */
  static Thread start(
      String threadName,
      String what,
      Supplier<RedisEndpoint> cache,
      Supplier<ClassLoader> applicationLoader,
      Start start) {
    Thread thread =
        new Thread(
            () -> {
              try {
                while (cache.get() == null || applicationLoader.get() == null) {
                  Thread.sleep(100);
                }
                start.run(cache.get(), applicationLoader.get());
              } catch (InterruptedException ignored) {
                // the JVM is exiting
              } catch (Throwable t) {
                AgentLog.warn(what + " could not start: " + t.getMessage());
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
