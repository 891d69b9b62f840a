package dev.keywarm.loader;

import java.time.Duration;

/**
 * Where loaders are registered, per key pattern. Patterns are Redis globs ({@code *}, {@code ?},
 * {@code [abc]}, {@code [a-z]}, {@code \} escapes) matched against the whole key; the first
 * registration whose pattern matches a key loads it.
 *
 * <p>Hash fields have registrations of their own ({@link #registerFields}), matched against the
 * hash's key: a planned field {@code profile} of {@code user:42} is loaded by the first field
 * loader whose pattern matches {@code user:42}. Key loaders never load fields, field loaders never
 * load keys.
 */
public interface LoaderRegistry {

  /**
   * Registers a loader; values without their own TTL get the pattern's configured TTL or the
   * default.
   */
  LoaderRegistry register(String keyPattern, KeyLoader loader);

  /**
   * Registers a loader whose values, when they carry no TTL of their own, expire after {@code ttl}.
   */
  LoaderRegistry register(String keyPattern, KeyLoader loader, Duration ttl);

  /**
   * Registers a loader for the fields of hashes whose key matches {@code keyPattern}. The default
   * refuses: a registry written before field loaders existed does not take them (the warm-runner's
   * does).
   */
  default LoaderRegistry registerFields(String keyPattern, FieldLoader loader) {
    throw new UnsupportedOperationException(getClass().getName() + " takes no field loaders");
  }

  /**
   * Registers a field loader whose values, when they carry no TTL of their own, expire after {@code
   * ttl}.
   */
  default LoaderRegistry registerFields(String keyPattern, FieldLoader loader, Duration ttl) {
    throw new UnsupportedOperationException(getClass().getName() + " takes no field loaders");
  }
}
