package dev.keywarm.agent.recording;

import java.util.Arrays;

/**
 * The bookkeeping shared by keywarm's Space-Saving summaries ({@link KeySummary}, {@link
 * PairSummary}): at most {@code capacity} entries in parallel arrays, a chained hash index (entry
 * index + 1 per bucket and per chain link, 0 = end), and a {@link WeightHeap} on each entry's
 * weight. When full, a new key takes over the lightest entry and keeps its weight, which is the
 * newcomer's error bound (Metwally et al., ICDT 2005). Subclasses own the keys and counters and say
 * what an eviction drops. Arrays start small and double up to {@code capacity}. Single-threaded.
 */
abstract class SpaceSavingTable {

  private static final int INITIAL = 1024;

  private final int capacity;
  private final WeightHeap heap;
  private int allocated;
  private int size;
  private int[] buckets;
  private int[] chain;
  private int[] hashes;
  private long[] weights;

  SpaceSavingTable(int capacity) {
    this.capacity = capacity;
    int initial = Math.max(1, Math.min(INITIAL, capacity));
    this.heap = new WeightHeap(initial);
    this.chain = new int[initial];
    this.hashes = new int[initial];
    this.weights = new long[initial];
    this.allocated = initial;
    this.buckets = new int[Integer.highestOneBit(initial) << 1];
  }

  /** Grows the subclass's own per-entry arrays to {@code entries}. */
  abstract void growEntries(int entries);

  /**
   * {@code entry} is about to be reused for another key, or removed: account for what it counted.
   */
  abstract void evicted(int entry);

  /**
   * The subclass's per-entry values of {@code from} move to {@code to} (a removal filled a hole).
   */
  abstract void moved(int from, int to);

  final int capacity() {
    return capacity;
  }

  final int size() {
    return size;
  }

  final int hashOf(int entry) {
    return hashes[entry];
  }

  /** The first entry whose hash may be {@code hash}, or -1; continue with {@link #next}. */
  final int first(int hash) {
    return buckets[hash & (buckets.length - 1)] - 1;
  }

  final int next(int entry) {
    return chain[entry] - 1;
  }

  /** An entry for a new key with {@code hash}: a fresh one, or the lightest one evicted. */
  final int claim(int hash) {
    int entry;
    if (size < capacity) {
      if (size == allocated) {
        grow(Math.min(capacity, allocated * 2));
      }
      entry = size++;
      weights[entry] = 0;
      heap.add(entry, weights);
    } else {
      entry = heap.lightest();
      evicted(entry);
      unlink(entry); // keeps its weight: the newcomer inherits it as its error bound
    }
    hashes[entry] = hash;
    link(entry);
    return entry;
  }

  /**
   * Evicts the lightest entry without a newcomer taking its place (a byte budget, not the entry
   * count, is full). The last entry moves into its index, so entries stay dense. The table must not
   * be empty.
   */
  final void removeLightest() {
    int entry = heap.lightest();
    evicted(entry);
    unlink(entry);
    heap.remove(entry, weights);
    int last = --size;
    if (entry != last) {
      unlink(last);
      hashes[entry] = hashes[last];
      weights[entry] = weights[last];
      heap.renumber(last, entry);
      moved(last, entry);
      link(entry);
    }
  }

  /** One more event for {@code entry}. */
  final void touch(int entry) {
    weights[entry]++;
    heap.increased(entry, weights);
  }

  /** {@code amount} (at least 0) more events for {@code entry}, counted elsewhere at once. */
  final void touch(int entry, long amount) {
    weights[entry] += amount;
    heap.increased(entry, weights);
  }

  /** Empties the table; the subclass clears its own arrays for entries below the old size. */
  final void clear() {
    Arrays.fill(buckets, 0);
    heap.clear();
    size = 0;
  }

  private void grow(int entries) {
    allocated = entries;
    chain = Arrays.copyOf(chain, entries);
    hashes = Arrays.copyOf(hashes, entries);
    weights = Arrays.copyOf(weights, entries);
    heap.grow(entries);
    growEntries(entries);
    buckets = new int[Integer.highestOneBit(entries) << 1];
    for (int entry = 0; entry < size; entry++) {
      link(entry);
    }
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
}
