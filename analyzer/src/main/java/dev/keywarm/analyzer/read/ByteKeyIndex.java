package dev.keywarm.analyzer.read;

import java.util.Arrays;

/**
 * Dense ids for byte-array keys: an open-addressing hash table (linear probing, load ≤ 0.5) from
 * key bytes to 0, 1, 2, … in order of first sight. Callers keep per-key counters in parallel
 * primitive arrays indexed by id, so a million keys cost one {@code byte[]} each plus a few ints —
 * no boxed map entries. A slot is one long (hash in the high half, id + 1 in the low half): a probe
 * touches one cache line and compares key bytes only when the 32-bit hashes agree. This lookup is
 * the hottest code of a large analysis (one per member read). The key array passed to {@link #idOf}
 * is kept, not copied: pass a fresh array.
 */
public final class ByteKeyIndex {

  private long[] slots = new long[1 << 12]; // hash << 32 | (id + 1); 0 = empty
  private byte[][] keys = new byte[1 << 11][];
  private int size;

  /** The id of {@code key}, adding it if new. */
  public int idOf(byte[] key) {
    int hash = hash(key);
    int mask = slots.length - 1;
    int slot = hash & mask;
    while (true) {
      long entry = slots[slot];
      if (entry == 0) {
        break;
      }
      if ((int) (entry >>> 32) == hash && Arrays.equals(keys[(int) entry - 1], key)) {
        return (int) entry - 1;
      }
      slot = (slot + 1) & mask;
    }
    int id = size++;
    if (id == keys.length) {
      keys = Arrays.copyOf(keys, keys.length * 2);
    }
    keys[id] = key;
    slots[slot] = ((long) hash << 32) | (id + 1);
    if (size * 2 > slots.length) {
      rehash();
    }
    return id;
  }

  /** The id of {@code key}, or -1. */
  public int find(byte[] key) {
    int hash = hash(key);
    int mask = slots.length - 1;
    for (int slot = hash & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
      long entry = slots[slot];
      if ((int) (entry >>> 32) == hash && Arrays.equals(keys[(int) entry - 1], key)) {
        return (int) entry - 1;
      }
    }
    return -1;
  }

  public byte[] key(int id) {
    return keys[id];
  }

  public int size() {
    return size;
  }

  /** Capacity of the id space; parallel arrays should be at least this long. */
  public int capacity() {
    return keys.length;
  }

  private void rehash() {
    long[] grown = new long[slots.length * 2];
    int mask = grown.length - 1;
    for (long entry : slots) {
      if (entry != 0) {
        int slot = (int) (entry >>> 32) & mask;
        while (grown[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        grown[slot] = entry;
      }
    }
    slots = grown;
  }

  // Arrays.hashCode spreads poorly in the low bits for short similar keys; finish with a mix
  private static int hash(byte[] key) {
    int h = Arrays.hashCode(key);
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }
}
