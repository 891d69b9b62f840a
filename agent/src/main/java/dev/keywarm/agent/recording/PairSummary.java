package dev.keywarm.agent.recording;

import dev.keywarm.schema.PairMember;
import java.util.Arrays;

/**
 * Counts ordered pairs of keys read close together (see {@link CoAccessTracker}), bounded to
 * {@code capacity} pairs per window by Space-Saving, exactly like {@link KeySummary}: pairs seen more
 * than N / capacity times in a window of N pair observations survive, and the flushed count of a pair
 * never overestimates. Keys are the key summary's own member arrays, so a pair costs two references,
 * not two copies; the encoded {@link PairMember} is built only when the window is sealed.
 */
final class PairSummary {

  private static final int INITIAL = 256;

  private final int capacity;
  private int allocated;
  private int size;
  private int[] buckets;
  private int[] chain;
  private int[] hashes;
  private byte[][] firsts;
  private byte[][] seconds;
  private long[] counts;
  private long[] weights;
  private final WeightHeap heap;

  PairSummary(int capacity) {
    this.capacity = capacity;
    int initial = Math.max(1, Math.min(INITIAL, capacity));
    heap = new WeightHeap(initial);
    allocate(initial);
  }

  private void allocate(int entries) {
    allocated = entries;
    chain = chain == null ? new int[entries] : Arrays.copyOf(chain, entries);
    hashes = hashes == null ? new int[entries] : Arrays.copyOf(hashes, entries);
    firsts = firsts == null ? new byte[entries][] : Arrays.copyOf(firsts, entries);
    seconds = seconds == null ? new byte[entries][] : Arrays.copyOf(seconds, entries);
    counts = counts == null ? new long[entries] : Arrays.copyOf(counts, entries);
    weights = weights == null ? new long[entries] : Arrays.copyOf(weights, entries);
    heap.grow(entries);
    buckets = new int[Integer.highestOneBit(entries) << 1];
    for (int entry = 0; entry < size; entry++) {
      link(entry);
    }
  }

  boolean isEnabled() {
    return capacity > 0;
  }

  /** {@code second} was read shortly after {@code first} on the same thread. */
  void add(byte[] first, int firstHash, byte[] second, int secondHash) {
    int hash = firstHash * 0x9E3779B1 + secondHash;
    int entry = find(first, second, hash);
    if (entry < 0) {
      if (size < capacity) {
        if (size == allocated) {
          allocate(Math.min(capacity, allocated * 2));
        }
        entry = size++;
        weights[entry] = 0;
        heap.add(entry, weights);
      } else {
        entry = heap.lightest();
        unlink(entry); // keeps its weight: the newcomer inherits it as its error bound
      }
      hashes[entry] = hash;
      firsts[entry] = first;
      seconds[entry] = second;
      counts[entry] = 0;
      link(entry);
    }
    counts[entry]++;
    weights[entry]++;
    heap.increased(entry, weights);
  }

  private int find(byte[] first, byte[] second, int hash) {
    int entry = buckets[hash & (buckets.length - 1)] - 1;
    while (entry >= 0) {
      if (hashes[entry] == hash && same(firsts[entry], first) && same(seconds[entry], second)) {
        return entry;
      }
      entry = chain[entry] - 1;
    }
    return -1;
  }

  private static boolean same(byte[] a, byte[] b) {
    return a == b || Arrays.equals(a, b);
  }

  private void link(int entry) {
    int bucket = hashes[entry] & (buckets.length - 1);
    chain[entry] = buckets[bucket];
    buckets[bucket] = entry + 1;
  }

  private void unlink(int entry) {
    int bucket = hashes[entry] & (buckets.length - 1);
    if (buckets[bucket] - 1 == entry) {
      buckets[bucket] = chain[entry];
      return;
    }
    int previous = buckets[bucket] - 1;
    while (chain[previous] - 1 != entry) {
      previous = chain[previous] - 1;
    }
    chain[previous] = chain[entry];
  }

  byte[][] encodedPairs() {
    byte[][] encoded = new byte[size][];
    for (int i = 0; i < size; i++) {
      encoded[i] = PairMember.encode(firsts[i], seconds[i]);
    }
    return encoded;
  }

  long[] counts() {
    return Arrays.copyOf(counts, size);
  }

  void clear() {
    Arrays.fill(firsts, 0, size, null);
    Arrays.fill(seconds, 0, size, null);
    Arrays.fill(buckets, 0);
    heap.clear();
    size = 0;
  }
}
