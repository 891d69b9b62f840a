package dev.keywarm.loader;

import java.time.Duration;

/**
 * Where loaders are registered, per key pattern. Patterns are Redis globs ({@code *}, {@code ?},
 * {@code [abc]}, {@code [a-z]}, {@code \} escapes) matched against the whole key; the first
 * registration whose pattern matches a key loads it.
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
}
