package dev.keywarm.schema;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key when it has
 * none, modulo {@value #SLOTS} (the rule of the Redis Cluster specification). keywarm needs it to
 * choose the hash tags of its stats shards ({@link StatsShards}) and to send each shard's commands
 * to the node that owns it.
 */
public final class HashSlot {

  public static final int SLOTS = 16_384;

  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      TABLE[i] = crc & 0xFFFF;
    }
  }

  private HashSlot() {}

  public static int of(String key) {
    return of(key.getBytes(StandardCharsets.UTF_8));
  }

  public static int of(byte[] key) {
    int from = 0;
    int to = key.length;
    int open = indexOf(key, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(key, (byte) '}', open + 1);
      if (close > open + 1) { // "{}" is no tag: the whole key counts
        from = open + 1;
        to = close;
      }
    }
    return crc16(key, from, to) & (SLOTS - 1);
  }

  static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
