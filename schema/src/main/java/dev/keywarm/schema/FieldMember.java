package dev.keywarm.schema;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A hash field as a cache entry ({@code HGET user:42 profile}): one sorted-set member that stands
 * beside plain keys in every hourly set and plan, so the ranking, caps, trims, pairs and plans need
 * no second kind of set. Layout: the 4 bytes {@code FF 00 'h' 'f'}, a 4-byte big-endian length of
 * the key, the key, then the field. Key and field are each stored as {@link StoredKey} stores a key
 * (raw bytes, or truncated with a hash suffix past {@link StoredKey#MAX_BYTES}), so a member is at
 * most 1 032 bytes.
 *
 * <p>Why a prefix and not separate sets: a plain key's member is its raw bytes, unchanged since the
 * first schema version. {@code 0xFF} never occurs in UTF-8, so no text key can look like a field
 * member; a binary key is read as one only if it starts with these four bytes <em>and</em> its next
 * four give a length that fits — the one ambiguity, as with {@link KeyText}'s escapes.
 */
public final class FieldMember {

  private static final byte[] MAGIC = {(byte) 0xFF, 0x00, 'h', 'f'};
  private static final int HEADER = MAGIC.length + 4;

  /** The bytes before the key: the magic and the key's length. */
  public static final int HEADER_BYTES = HEADER;

  private FieldMember() {}

  /** The member for {@code field} of the hash at {@code key}; each is stored as a key is. */
  public static byte[] encode(byte[] key, byte[] field) {
    // parts already short enough (the agent reduces them as it reads them) are not copied twice
    byte[] storedKey = key.length > StoredKey.MAX_BYTES ? StoredKey.member(key) : key;
    byte[] storedField = field.length > StoredKey.MAX_BYTES ? StoredKey.member(field) : field;
    // one array and nothing else: the agent builds a member per drained field event
    byte[] member = new byte[HEADER + storedKey.length + storedField.length];
    System.arraycopy(MAGIC, 0, member, 0, MAGIC.length);
    int length = storedKey.length;
    for (int i = MAGIC.length; i < HEADER; i++) {
      member[i] = headerByte(i, length);
    }
    System.arraycopy(storedKey, 0, member, HEADER, length);
    System.arraycopy(storedField, 0, member, HEADER + length, storedField.length);
    return member;
  }

  /**
   * Byte {@code i} ({@code 0 ≤ i < HEADER_BYTES}) of a member whose stored key has {@code
   * keyLength} bytes: lets a caller hash a member it has not built.
   */
  public static byte headerByte(int i, int keyLength) {
    return i < MAGIC.length ? MAGIC[i] : (byte) (keyLength >>> (8 * (HEADER - 1 - i)));
  }

  /**
   * True if {@code member} is {@link #encode encode(key, field)}, compared in place without
   * building it. Key and field must be at most {@link StoredKey#MAX_BYTES} (stored as they are).
   */
  public static boolean matches(byte[] member, byte[] key, byte[] field) {
    int k = key.length;
    if (member.length != HEADER + k + field.length) {
      return false;
    }
    for (int i = 0; i < HEADER; i++) {
      if (member[i] != headerByte(i, k)) {
        return false;
      }
    }
    return Arrays.equals(member, HEADER, HEADER + k, key, 0, k)
        && Arrays.equals(member, HEADER + k, member.length, field, 0, field.length);
  }

  /** True if {@code member} is a hash field's member, not a plain key's. */
  public static boolean isField(byte[] member) {
    if (member.length < HEADER) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (member[i] != MAGIC[i]) {
        return false;
      }
    }
    int keyLength = ByteBuffer.wrap(member, MAGIC.length, 4).getInt();
    return keyLength >= 0 && keyLength <= member.length - HEADER;
  }

  /** The hash's key (as stored). @throws IllegalArgumentException if not a field member */
  public static byte[] key(byte[] member) {
    requireField(member);
    return Arrays.copyOfRange(member, HEADER, HEADER + keyLength(member));
  }

  /** The field (as stored). @throws IllegalArgumentException if not a field member */
  public static byte[] field(byte[] member) {
    requireField(member);
    return Arrays.copyOfRange(member, HEADER + keyLength(member), member.length);
  }

  /**
   * The Redis key a member lives under: the hash's key for a field member, the member itself for a
   * plain key. What a cluster slot, {@code EXISTS} or {@code TYPE} is asked about.
   */
  public static byte[] redisKey(byte[] member) {
    return isField(member) ? key(member) : member;
  }

  private static int keyLength(byte[] member) {
    return ByteBuffer.wrap(member, MAGIC.length, 4).getInt();
  }

  private static void requireField(byte[] member) {
    if (!isField(member)) {
      throw new IllegalArgumentException("not a hash field member: " + member.length + " bytes");
    }
  }
}
