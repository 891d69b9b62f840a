package dev.keywarm.runner.engine;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.WarmSettings;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.ObservedTtls;
import java.time.Duration;

/**
 * The TTL a loaded value is written with, ms (0: none), for a warm and a re-warm alike: the
 * loader's, else the TTL the application gave the key ({@link ObservedTtls}: its own observed one,
 * then the plan's; none if it writes the key without one), else the configured one for its pattern,
 * else the default — then the jitter ({@link TtlJitter}), so that keys loaded together do not
 * expire together.
 */
public final class TtlChoice {

  private final LoaderTable loaders;
  private final ObservedTtls observed;
  private final long defaultTtlMillis;
  private final TtlJitter jitter;

  public TtlChoice(WarmSettings settings, LoaderTable loaders, ObservedTtls observed) {
    this.loaders = loaders;
    this.observed = observed;
    this.defaultTtlMillis = settings.defaultTtl() == null ? 0 : settings.defaultTtl().toMillis();
    this.jitter = new TtlJitter(settings.ttlJitter());
  }

  /** The TTL for {@code value}, loaded for {@code key} by {@code loader}. */
  public long millis(byte[] key, LoadedValue value, LoaderTable.Entry loader) {
    long ttl = value.ttl().map(Duration::toMillis).orElseGet(() -> withoutLoader(key, loader));
    return jitter.apply(ttl);
  }

  /**
   * The TTL a value without one of its own would get, before the jitter: what is known before the
   * load (0: none).
   */
  public long beforeLoad(byte[] key, LoaderTable.Entry loader) {
    return withoutLoader(key, loader);
  }

  private long withoutLoader(byte[] key, LoaderTable.Entry loader) {
    Long seen = observed.of(key);
    if (seen != null) {
      return seen == ObservedTtls.NONE ? 0 : seen;
    }
    Duration configured = loaders.configuredTtl(loader, key);
    return configured != null ? configured.toMillis() : defaultTtlMillis;
  }
}
