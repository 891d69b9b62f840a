package dev.keywarm.agent.instrumentation;

import java.lang.ref.WeakReference;

/**
 * String keys as their codec encoded them (Lettuce's codec; for Redisson, UTF-8), so that a key
 * read again — hot keys are, by definition — is not encoded again: Lettuce's {@code StringCodec}
 * allocates a ByteBuffer, a ByteBuf wrapper and an oversized array for every encoding. A
 * direct-mapped table of immutable entries shared by all threads: a race or a collision only loses
 * an entry, and a lost entry only costs one encoding.
 *
 * <p>Bounded: {@value #SLOTS} entries of keys up to {@value #MAX_CHARS} chars (under 2 MB in all).
 * The codec is held weakly, so an undeployed application's class loader is never kept alive from
 * here.
 */
public final class EncodedKeys {

  static final int SLOTS = 4096;
  static final int MAX_CHARS = 128;

  private record Entry(String key, WeakReference<Object> codec, byte[] bytes) {}

  private static final Entry[] ENTRIES = new Entry[SLOTS];

  private EncodedKeys() {}

  /** The bytes {@code codec} encoded {@code key} to, if remembered; else null. */
  public static byte[] get(Object codec, String key) {
    Entry entry = ENTRIES[slot(key)];
    return entry != null && entry.codec.get() == codec && entry.key.equals(key)
        ? entry.bytes
        : null;
  }

  /** Remembers an encoding; {@code bytes} must never be changed afterwards. */
  public static void put(Object codec, String key, byte[] bytes) {
    if (key.length() <= MAX_CHARS) {
      ENTRIES[slot(key)] = new Entry(key, new WeakReference<>(codec), bytes);
    }
  }

  private static int slot(String key) {
    int hash = key.hashCode();
    return (hash ^ hash >>> 16) & (SLOTS - 1);
  }
}
