package dev.keywarm.agent.warm;

import dev.keywarm.redis.RedisEndpoint;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code rewarm=on-delete}, the agent's half: the aggregator hands it every key the application
 * deleted; it passes them to the warm-runner's re-warmer (which decides whether the key is hot,
 * waits {@code rewarmdelay}, loads it and writes it with {@code NX}). The re-warmer is started once
 * the cache Redis and the application's class loader (where its loaders live) are known; deletes
 * before that are only counted. Never blocks the aggregator: the re-warmer's queue is bounded and
 * drops (and counts) what does not fit.
 */
public final class RewarmOnDelete implements Consumer<byte[]> {

  private volatile Consumer<byte[]> rewarmer;
  private final AtomicLong beforeReady = new AtomicLong();

  @Override
  public void accept(byte[] key) {
    Consumer<byte[]> target = rewarmer;
    if (target == null) {
      beforeReady.incrementAndGet();
      return;
    }
    try {
      target.accept(key);
    } catch (Throwable t) {
      // the re-warmer's trouble never reaches recording
    }
  }

  /**
   * Starts the runner's re-warmer in the background once {@code cache} and the loader are known.
   */
  public void startWhenReady(
      WarmLauncher launcher,
      Supplier<RedisEndpoint> cache,
      Supplier<ClassLoader> applicationLoader,
      long delayMillis) {
    WhenConnected.start(
        "keywarm-rewarm-start",
        "rewarm=on-delete",
        cache,
        applicationLoader,
        (endpoint, loader) -> rewarmer = launcher.rewarmer(endpoint, loader, delayMillis));
  }

  /** Deletes seen before the re-warmer was ready (not re-warmed). */
  public long beforeReady() {
    return beforeReady.get();
  }
}
