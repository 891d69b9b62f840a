package dev.keywarm.runner.engine;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.loading.LoaderTable;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One loaded value written to the cache the warm's way, never over a key that exists: {@code SET
 * key value NX PX ttl}, or a dump with {@code RESTORE key ttl payload} without {@code REPLACE}. A
 * value that would get no TTL — bytes for which {@link TtlChoice} finds none, a dump of a key that
 * had none — is not written: the re-warm on delete and the standing warm write again and again, and
 * a value that never expires could stay stale for ever. Shared by both, one key at a time.
 */
public final class NxWrite {

  /** How a write ended. */
  public enum Outcome {
    /** Written (or, for a loader that stores the value itself, nothing to write). */
    WRITTEN,
    /** The key existed: the application wrote it first, and its value stays. */
    EXISTED,
    /** No TTL for the value: not written. */
    NO_TTL,
    /** Redis refused the write (a bad dump payload). */
    FAILED
  }

  private NxWrite() {}

  /** Writes {@code value}, loaded for {@code key} by {@code loader}, with {@code ttls}' TTL. */
  public static Outcome write(
      UnifiedJedis cache, byte[] key, LoadedValue value, LoaderTable.Entry loader, TtlChoice ttls) {
    switch (value.kind()) {
      case STORED_BY_LOADER -> {
        return Outcome.WRITTEN;
      }
      case DUMP -> {
        long ttl = value.ttl().map(Duration::toMillis).orElse(0L);
        if (ttl <= 0) {
          return Outcome.NO_TTL; // RESTORE with 0 would mean no expiry at all
        }
        try {
          cache.restore(key, ttl, value.bytes());
          return Outcome.WRITTEN;
        } catch (JedisDataException e) {
          return String.valueOf(e.getMessage()).startsWith("BUSYKEY")
              ? Outcome.EXISTED
              : Outcome.FAILED;
        }
      }
      default -> {
        long ttl = ttls.millis(key, value, loader);
        if (ttl <= 0) {
          return Outcome.NO_TTL;
        }
        return "OK"
                .equals(
                    cache.set(
                        key,
                        value.bytes(),
                        redis.clients.jedis.params.SetParams.setParams().nx().px(ttl)))
            ? Outcome.WRITTEN
            : Outcome.EXISTED;
      }
    }
  }
}
