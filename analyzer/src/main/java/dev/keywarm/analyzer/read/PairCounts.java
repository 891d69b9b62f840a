package dev.keywarm.analyzer.read;

import java.util.Arrays;

/**
 * Ordered co-read counts: (a, b) → times b was read shortly after a, summed over the range. Keys
 * are {@link KeyTable} ids packed into one long, in an open-addressing table (no boxing).
 */
public final class PairCounts {

  private static final long EMPTY = -1L;
  private long[] keys = filled(1 << 10);
  private double[] counts = new double[1 << 10];
  private int size;

  public void add(int first, int second, double count) {
    long key = pack(first, second);
    int slot = slotOf(key);
    if (keys[slot] == EMPTY) {
      keys[slot] = key;
      size++;
      counts[slot] = count;
      if (size * 2 > keys.length) {
        rehash();
      }
    } else {
      counts[slot] += count;
    }
  }

  public double count(int first, int second) {
    int slot = slotOf(pack(first, second));
    return keys[slot] == EMPTY ? 0 : counts[slot];
  }

  public int size() {
    return size;
  }

  /** Calls {@code visitor} once per ordered pair. */
  public void forEach(Visitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        visitor.visit((int) (keys[i] >>> 32), (int) keys[i], counts[i]);
      }
    }
  }

  public interface Visitor {
    void visit(int first, int second, double count);
  }

  private int slotOf(long key) {
    int mask = keys.length - 1;
    int slot = (int) mix(key) & mask;
    while (keys[slot] != EMPTY && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void rehash() {
    long[] oldKeys = keys;
    double[] oldCounts = counts;
    keys = filled(oldKeys.length * 2);
    counts = new double[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = slotOf(oldKeys[i]);
        keys[slot] = oldKeys[i];
        counts[slot] = oldCounts[i];
      }
    }
  }

  private static long pack(int first, int second) {
    return ((long) first << 32) | (second & 0xFFFFFFFFL);
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }

  private static long[] filled(int n) {
    long[] a = new long[n];
    Arrays.fill(a, EMPTY);
    return a;
  }
}
