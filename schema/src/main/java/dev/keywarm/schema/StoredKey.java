package dev.keywarm.schema;

import java.util.Arrays;

/**
 * How an application's cache key becomes a sorted-set member: its raw bytes, unchanged, unless it
 * is longer than {@link #MAX_BYTES}. A longer key keeps its first {@value #PREFIX_BYTES} bytes (so
 * patterns still read) followed by {@code ~#} and 16 hex digits of a 64-bit FNV-1a hash of the
 * whole key, 512 bytes in all, so two long keys that share a prefix stay distinct.
 */
public final class StoredKey {

  public static final int MAX_BYTES = 512;
  private static final int HASH_HEX = 16;
  private static final byte[] MARKER = {'~', '#'};
  public static final int PREFIX_BYTES = MAX_BYTES - MARKER.length - HASH_HEX;
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private StoredKey() {}

  /** The member for {@code key[0..length)}: a fresh copy, truncated if it is too long. */
  public static byte[] member(byte[] key, int length) {
    if (length <= MAX_BYTES) {
      return Arrays.copyOf(key, length);
    }
    byte[] member = Arrays.copyOf(key, MAX_BYTES);
    member[PREFIX_BYTES] = MARKER[0];
    member[PREFIX_BYTES + 1] = MARKER[1];
    long hash = fnv1a64(key, length);
    for (int i = 0; i < HASH_HEX; i++) {
      member[MAX_BYTES - 1 - i] = HEX[(int) (hash >>> (4 * i)) & 0xF];
    }
    return member;
  }

  public static byte[] member(byte[] key) {
    return member(key, key.length);
  }

  /** True if a member was produced by truncating a longer key. */
  public static boolean isTruncated(byte[] member) {
    return member.length == MAX_BYTES
        && member[PREFIX_BYTES] == MARKER[0]
        && member[PREFIX_BYTES + 1] == MARKER[1];
  }

  /**
   * The 64-bit FNV-1a hash of a whole key: the suffix of a truncated member, and the agent's key
   * id.
   */
  public static long hash64(byte[] key) {
    return fnv1a64(key, key.length);
  }

  static long fnv1a64(byte[] bytes, int length) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < length; i++) {
      hash ^= bytes[i] & 0xFF;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
