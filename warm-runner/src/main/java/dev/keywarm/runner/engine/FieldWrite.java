package dev.keywarm.runner.engine;

import dev.keywarm.redis.RedisError;
import dev.keywarm.schema.FieldMember;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a hash field is written, never over one that exists: one Lua script per field, so the check,
 * the write and the TTL are one atomic step in Redis, as {@code SET NX PX} is for a key. {@code
 * KEYS[1]} the hash, {@code ARGV} field, value, TTL ms ({@code 0}: none), and {@code 1} when a TTL
 * is required (the re-warm and the standing warm: {@link NxWrite}).
 *
 * <ul>
 *   <li>Redis 7.4+ ({@code HPEXPIRE} exists, {@link
 *       dev.keywarm.runner.target.RedisTarget#supportsFieldTtl}): {@code HSETNX}, then, only if it
 *       set the field, {@code HPEXPIRE hash ttl NX FIELDS 1 field} — the field's own TTL; the
 *       hash's TTL, if the application gave it one, is not touched.
 *   <li>Before 7.4 a hash has one TTL for all its fields, so a field is written ({@code HSETNX})
 *       only into a hash that exists and has a TTL, which bounds it and is never touched. A missing
 *       hash is not created: giving it a TTL would expire every field the application writes into
 *       it later with it (a TTL-less cache hash emptied at once), and creating it without one would
 *       leave the warm's field there for ever. A hash without a TTL gets no field either when one
 *       is wanted (it would never expire). Both reply {@code -1}.
 * </ul>
 *
 * Replies: {@code 1} written, {@code 0} the field existed (the application's value stays), {@code
 * -1} not written (before 7.4: no hash, or no TTL where one is required); {@code WRONGTYPE} when
 * the key holds no hash (the application's value, kept: {@link #isApplicationValue}).
 */
public final class FieldWrite {

  static final long WRITTEN = 1;
  static final long EXISTED = 0;
  static final long NO_TTL = -1;

  private static final byte[] WITH_FIELD_TTL =
      ("if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end "
              + "if ARGV[3] ~= '0' then "
              + "redis.call('HPEXPIRE', KEYS[1], ARGV[3], 'NX', 'FIELDS', 1, ARGV[1]) end "
              + "return 1")
          .getBytes(StandardCharsets.US_ASCII);

  private static final byte[] WITH_KEY_TTL =
      ("if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end "
              + "local pttl = redis.call('PTTL', KEYS[1]) "
              + "if pttl == -2 then return -1 end "
              + "if pttl == -1 and ARGV[4] == '1' then return -1 end "
              + "redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) "
              + "return 1")
          .getBytes(StandardCharsets.US_ASCII);

  private static final byte[] ONE = {'1'};
  private static final byte[] ZERO = {'0'};

  private FieldWrite() {}

  /** The script for a server with ({@code fieldTtl}) or without per-field TTLs. */
  static byte[] script(boolean fieldTtl) {
    return fieldTtl ? WITH_FIELD_TTL : WITH_KEY_TTL;
  }

  /** {@code KEYS}: the hash's key. */
  static List<byte[]> keys(byte[] member) {
    return List.of(FieldMember.key(member));
  }

  /** {@code ARGV}: field, value, TTL ms (0: none), whether a TTL is required. */
  static List<byte[]> args(byte[] member, byte[] value, long ttlMillis, boolean ttlRequired) {
    return List.of(
        FieldMember.field(member),
        value,
        Long.toString(Math.max(0, ttlMillis)).getBytes(StandardCharsets.US_ASCII),
        ttlRequired ? ONE : ZERO);
  }

  /**
   * True for an error that says the key holds another type: the application's value, which a field
   * write must leave alone (counted as existing).
   */
  static boolean isApplicationValue(String errorMessage) {
    // Redis 7 starts a script's error with the command's code; older ones wrap it in ERR
    return errorMessage != null
        && (new RedisError(errorMessage).code().equals("WRONGTYPE")
            || errorMessage.contains("WRONGTYPE"));
  }
}
