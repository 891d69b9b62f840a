package dev.keywarm.runner.loading;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.KeyLoaderProvider;
import dev.keywarm.loader.LoaderRegistry;
import dev.keywarm.schema.KeyGlob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The registered loaders, in registration order; the first pattern that matches a key wins. The
 * runner fills it with programmatic registrations first, then loaders declared in configuration
 * (HTTP, copy), then {@link ServiceLoader} providers, so explicit code beats discovery.
 */
public final class LoaderTable implements LoaderRegistry {

  /** One registration; {@code ttl} is null when the pattern has no TTL of its own. */
  public record Entry(KeyGlob pattern, KeyLoader loader, Duration ttl) {}

  private final List<Entry> entries = new ArrayList<>();
  private final List<Entry> ttlOverrides = new ArrayList<>();

  @Override
  public LoaderTable register(String keyPattern, KeyLoader loader) {
    entries.add(new Entry(new KeyGlob(keyPattern), loader, null));
    return this;
  }

  @Override
  public LoaderTable register(String keyPattern, KeyLoader loader, Duration ttl) {
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("TTL must be positive for " + keyPattern + ": " + ttl);
    }
    entries.add(new Entry(new KeyGlob(keyPattern), loader, ttl));
    return this;
  }

  /**
   * A TTL for keys matching the pattern, whichever loader loads them (configuration: {@code
   * --ttl-for}).
   */
  public LoaderTable ttlFor(String keyPattern, Duration ttl) {
    ttlOverrides.add(new Entry(new KeyGlob(keyPattern), null, ttl));
    return this;
  }

  /** Adds every provider found on the class loader's path; returns how many there were. */
  public int registerServiceProviders(ClassLoader classLoader) {
    int providers = 0;
    for (KeyLoaderProvider provider : ServiceLoader.load(KeyLoaderProvider.class, classLoader)) {
      provider.registerLoaders(this);
      providers++;
    }
    return providers;
  }

  /** The entry that loads {@code key}, or null if no pattern matches. */
  public Entry find(byte[] key) {
    for (Entry entry : entries) {
      if (entry.pattern().matches(key)) {
        return entry;
      }
    }
    return null;
  }

  /** The TTL for a value without its own: the pattern's TTL, else a configured one, else null. */
  public Duration configuredTtl(Entry entry, byte[] key) {
    if (entry.ttl() != null) {
      return entry.ttl();
    }
    for (Entry override : ttlOverrides) {
      if (override.pattern().matches(key)) {
        return override.ttl();
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }
}
