package dev.keywarm.agent.recording;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.StoredKey;
import java.util.Arrays;

/**
 * Per-key counters for one flush window, bounded to {@code capacity} keys by the Space-Saving
 * algorithm (Metwally, Agrawal, El Abbadi: "Efficient Computation of Frequent and Top-k Elements in
 * Data Streams", ICDT 2005).
 *
 * <p>While fewer than {@code capacity} distinct keys are seen, every count is exact. Beyond that, a
 * new key takes the place of the key with the smallest weight (weight = its hits + misses + writes,
 * plus the weight it inherited); the evicted key's counts are added to the {@code dropped} totals —
 * written to the hour's meta hash, never silently lost — and the newcomer inherits the victim's
 * weight as its error. Guarantees, for a window of N events: any key read or written more than
 * N / capacity times is still tracked at the end, and every weight overestimates the key's true
 * count by at most N / capacity. The counts flushed to Redis are not the weights but what the key
 * really did since it entered the summary, so a flushed count is never an overestimate.
 *
 * <p>Structure: entries in parallel arrays (no object per key), a chained hash index over the key
 * bytes, and a binary min-heap on weight so the victim is found in O(1) and an increment costs
 * O(log capacity) at worst (usually one comparison). Memory is about 100 bytes per tracked key plus
 * the key itself; arrays grow by doubling up to {@code capacity}. Single-threaded: owned by the
 * aggregator thread.
 */
final class KeySummary {

  private static final int INITIAL = 1024;

  private final int capacity;
  private int allocated;
  private int size;

  private int[] buckets; // entry index + 1; 0 = empty bucket
  private int[] chain;   // next entry index + 1 in the same bucket
  private int[] hashes;
  private byte[][] members;
  private long[] hits;
  private long[] misses;
  private long[] writes;
  private long[] loadNanos;
  private long[] loads;
  private long[] weights;
  private final WeightHeap heap;

  private HourBucket hour;
  private long droppedHits;
  private long droppedMisses;
  private long droppedWrites;
  private long truncatedKeys;
  private long events;

  KeySummary(int capacity, HourBucket hour) {
    this.capacity = capacity;
    this.hour = hour;
    this.heap = new WeightHeap(Math.min(INITIAL, capacity));
    allocate(Math.min(INITIAL, capacity));
  }

  private void allocate(int entries) {
    allocated = entries;
    hashes = hashes == null ? new int[entries] : Arrays.copyOf(hashes, entries);
    chain = chain == null ? new int[entries] : Arrays.copyOf(chain, entries);
    members = members == null ? new byte[entries][] : Arrays.copyOf(members, entries);
    hits = grow(hits, entries);
    misses = grow(misses, entries);
    writes = grow(writes, entries);
    loadNanos = grow(loadNanos, entries);
    loads = grow(loads, entries);
    weights = grow(weights, entries);
    heap.grow(entries);
    buckets = new int[Integer.highestOneBit(entries) << 1];
    for (int entry = 0; entry < size; entry++) {
      link(entry);
    }
  }

  private static long[] grow(long[] array, int entries) {
    return array == null ? new long[entries] : Arrays.copyOf(array, entries);
  }

  HourBucket hour() {
    return hour;
  }

  int size() {
    return size;
  }

  long events() {
    return events;
  }

  /** Counts one event; returns the key's entry (valid until the next add), or -1 if not kept. */
  int add(byte[] key, byte kind, long value) {
    int length = key.length;
    byte[] lookupKey = length > StoredKey.MAX_BYTES ? StoredKey.member(key, length) : key;
    int hash = hash(lookupKey);
    int entry = find(lookupKey, hash);
    if (entry < 0) {
      if (kind == EventKind.LOAD) {
        return -1; // a load only annotates a key already seen in this window
      }
      entry = insert(lookupKey == key ? StoredKey.member(key, length) : lookupKey, hash);
      if (lookupKey != key) {
        truncatedKeys++;
      }
    }
    switch (kind) {
      case EventKind.HIT -> hits[entry]++;
      case EventKind.MISS -> misses[entry]++;
      case EventKind.WRITE -> writes[entry]++;
      default -> {
        loadNanos[entry] += value;
        loads[entry]++;
        return entry;
      }
    }
    events++;
    weights[entry]++;
    heap.increased(entry, weights);
    return entry;
  }

  /** The stored member of an entry: the summary's own copy, stable while the entry lives. */
  byte[] member(int entry) {
    return members[entry];
  }

  int memberHash(int entry) {
    return hashes[entry];
  }

  private int find(byte[] key, int hash) {
    int entry = buckets[hash & (buckets.length - 1)] - 1;
    while (entry >= 0) {
      if (hashes[entry] == hash && Arrays.equals(members[entry], key)) {
        return entry;
      }
      entry = chain[entry] - 1;
    }
    return -1;
  }

  private int insert(byte[] member, int hash) {
    int entry;
    if (size < capacity) {
      if (size == allocated) {
        allocate(Math.min(capacity, allocated * 2));
      }
      entry = size++;
      weights[entry] = 0;
      heap.add(entry, weights);
    } else {
      entry = heap.lightest();
      evict(entry); // keeps its weight: the newcomer inherits it as its error bound
    }
    hashes[entry] = hash;
    members[entry] = member;
    hits[entry] = 0;
    misses[entry] = 0;
    writes[entry] = 0;
    loadNanos[entry] = 0;
    loads[entry] = 0;
    link(entry);
    return entry;
  }

  private void evict(int entry) {
    droppedHits += hits[entry];
    droppedMisses += misses[entry];
    droppedWrites += writes[entry];
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

  private void link(int entry) {
    int bucket = hashes[entry] & (buckets.length - 1);
    chain[entry] = buckets[bucket];
    buckets[bucket] = entry + 1;
  }

  /** FNV-1a over the bytes, then a finaliser so that similar keys spread over the buckets. */
  private static int hash(byte[] key) {
    int h = 0x811c9dc5;
    for (byte b : key) {
      h = (h ^ (b & 0xFF)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    return h ^ (h >>> 13);
  }

  /** The window's counts, then an empty summary for {@code nextHour}. */
  WindowSnapshot snapshotAndReset(HourBucket nextHour, long lostEvents, PairSummary pairs) {
    WindowSnapshot snapshot = new WindowSnapshot(hour, Arrays.copyOf(members, size),
        Arrays.copyOf(hits, size), Arrays.copyOf(misses, size), Arrays.copyOf(writes, size),
        Arrays.copyOf(loadNanos, size), Arrays.copyOf(loads, size), droppedHits, droppedMisses,
        droppedWrites, lostEvents, truncatedKeys, pairs.encodedPairs(), pairs.counts());
    pairs.clear();
    Arrays.fill(members, 0, size, null);
    Arrays.fill(buckets, 0);
    heap.clear();
    size = 0;
    droppedHits = 0;
    droppedMisses = 0;
    droppedWrites = 0;
    truncatedKeys = 0;
    events = 0;
    hour = nextHour;
    return snapshot;
  }
}
