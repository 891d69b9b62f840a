package dev.keywarm.runner.engine;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.FieldMember;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One loaded value written to the cache the warm's way, never over a key that exists: {@code SET
 * key value NX PX ttl}, or a dump with {@code RESTORE key ttl payload} without {@code REPLACE}. A
 * value that would get no TTL — bytes for which {@link TtlChoice} finds none, a dump of a key that
 * had none — is not written: the re-warm on delete and the standing warm write again and again, and
 * a value that never expires could stay stale for ever. Shared by both, one key at a time.
 *
 * <p>A hash field ({@link FieldMember}) is written with {@link FieldWrite}'s script: {@code HSETNX}
 * and its TTL, where the server keeps one per field; before Redis 7.4 a field is not written into
 * an existing hash that has no TTL (nothing would expire it), nor is a dump (a whole key).
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

  /**
   * Writes {@code value}, loaded for {@code key} (a plan member: a key or a hash field) by {@code
   * loader}, with {@code ttls}' TTL.
   */
  public static Outcome write(
      RedisTarget target, byte[] key, LoadedValue value, LoaderTable.Entry loader, TtlChoice ttls) {
    UnifiedJedis cache = target.client();
    if (FieldMember.isField(key) && value.kind() != LoadedValue.Kind.STORED_BY_LOADER) {
      return writeField(target, key, value, loader, ttls);
    }
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

  private static Outcome writeField(
      RedisTarget target,
      byte[] member,
      LoadedValue value,
      LoaderTable.Entry loader,
      TtlChoice ttls) {
    if (value.kind() == LoadedValue.Kind.DUMP) {
      return Outcome.FAILED; // a dump is a whole key, never one field
    }
    long ttl = ttls.millis(member, value, loader);
    if (ttl <= 0) {
      return Outcome.NO_TTL;
    }
    Object reply;
    try {
      reply =
          target
              .client()
              .eval(
                  FieldWrite.script(target.supportsFieldTtl()),
                  FieldWrite.keys(member),
                  FieldWrite.args(member, value.bytes(), ttl, true));
    } catch (JedisDataException e) {
      return FieldWrite.isApplicationValue(e.getMessage()) ? Outcome.EXISTED : Outcome.FAILED;
    }
    if (reply instanceof Long n) {
      if (n == FieldWrite.WRITTEN) {
        return Outcome.WRITTEN;
      }
      if (n == FieldWrite.NO_TTL) {
        return Outcome.NO_TTL;
      }
      return Outcome.EXISTED;
    }
    return Outcome.FAILED;
  }
}
