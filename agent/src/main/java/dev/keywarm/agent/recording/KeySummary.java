package dev.keywarm.agent.recording;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.StoredKey;
import java.util.Arrays;

/**
 * Per-key counters for one flush window, bounded to {@code capacity} keys by the Space-Saving
 * algorithm (Metwally, Agrawal, El Abbadi: "Efficient Computation of Frequent and Top-k Elements in
 * Data Streams", ICDT 2005; the shared bookkeeping is {@link SpaceSavingTable}).
 *
 * <p>While fewer than {@code capacity} distinct keys are seen, every count is exact. Beyond that, a
 * new key takes the place of the key with the smallest weight (weight = its hits + misses + writes,
 * plus the weight it inherited); the evicted key's counts are added to the {@code dropped} totals —
 * written to the hour's meta hash, never silently lost — and the newcomer inherits the victim's
 * weight as its error. Guarantees, for a window of N events: any key read or written more than N /
 * capacity times is still tracked at the end, and every weight overestimates the key's true count
 * by at most N / capacity. The counts flushed to Redis are not the weights but what the key really
 * did since it entered the summary, so a flushed count is never an overestimate.
 *
 * <p>Memory: about 72 bytes per tracked key (a hash, a chain link, a member reference, six longs,
 * two heap ints) plus the key's own stored bytes (at most {@link StoredKey#MAX_BYTES}; a hash
 * field's {@link FieldMember} at most {@code 8 + 2 × MAX_BYTES}), and the stored bytes of all keys
 * together never exceed {@code byteBudget}: a new key that would pass it first evicts the lightest
 * keys (their counts go to the {@code dropped} totals like any eviction), so a window of huge
 * distinct keys holds fewer keys, never more memory. Single-threaded: owned by the aggregator
 * thread.
 */
final class KeySummary extends SpaceSavingTable {

  private byte[][] members;
  private long[] hits;
  private long[] misses;
  private long[] writes;
  private long[] loadNanos;
  private long[] loads;

  /** The expiry the application last gave each key in the window (see {@link EventKind}). */
  private long[] ttls;

  /** Deletes of each key in the window, when {@link #countRemovals} (the meters). */
  private long[] removals;

  private volatile boolean countRemovals;

  /**
   * Deletes of keys the summary did not track (or evicted): shared by the aggregator's summaries.
   */
  private java.util.concurrent.atomic.AtomicLong untrackedRemovals =
      new java.util.concurrent.atomic.AtomicLong();

  private HourBucket hour;
  private long droppedHits;
  private long droppedMisses;
  private long droppedWrites;
  private long truncatedKeys;
  private final long byteBudget;
  private long memberBytes;

  KeySummary(int capacity, HourBucket hour) {
    this(capacity, Long.MAX_VALUE, hour);
  }

  KeySummary(int capacity, long byteBudget, HourBucket hour) {
    super(capacity);
    this.byteBudget = byteBudget;
    this.hour = hour;
    growEntries(Math.max(1, Math.min(1024, capacity)));
  }

  @Override
  void growEntries(int entries) {
    members = members == null ? new byte[entries][] : Arrays.copyOf(members, entries);
    hits = grow(hits, entries);
    misses = grow(misses, entries);
    writes = grow(writes, entries);
    loadNanos = grow(loadNanos, entries);
    loads = grow(loads, entries);
    ttls = grow(ttls, entries);
    removals = grow(removals, entries);
  }

  private static long[] grow(long[] array, int entries) {
    return array == null ? new long[entries] : Arrays.copyOf(array, entries);
  }

  HourBucket hour() {
    return hour;
  }

  /**
   * Also counts the application's deletes per key (for the meters); deletes of keys it does not
   * track go to {@code untracked}.
   */
  void countRemovals(boolean enabled, java.util.concurrent.atomic.AtomicLong untracked) {
    countRemovals = enabled;
    untrackedRemovals = untracked;
  }

  /** Counts one event; returns the key's entry (valid until the next add), or -1 if not kept. */
  int add(byte[] key, byte kind, long value) {
    return add(key, null, kind, value);
  }

  /**
   * Counts one event of {@code key}, or of the hash field (key, field) when {@code field} is not
   * null: a field is found by its parts ({@link FieldMember#matches}), so one seen before costs no
   * member; its member is built once, when it enters the summary.
   */
  int add(byte[] key, byte[] field, byte kind, long value) {
    if (kind == EventKind.INVALIDATE && (!countRemovals || value != EventKind.DELETED)) {
      return -1; // not a count: only the snapshot's invalidation log takes it
    }
    if (field != null && (key.length > StoredKey.MAX_BYTES || field.length > StoredKey.MAX_BYTES)) {
      return add(FieldMember.encode(key, field), null, kind, value); // parts not reduced yet
    }
    byte[] lookupKey = null;
    int hash;
    int entry;
    if (field == null) {
      int length = key.length;
      // Hooks hand over long keys already reduced (CallRecord); reduce here too for any other
      // caller. A hash field's member is built from reduced parts and may be longer: it stays
      // whole.
      boolean reduce = length > StoredKey.MAX_BYTES && !FieldMember.isField(key);
      lookupKey = reduce ? StoredKey.member(key, length) : key;
      hash = hash(lookupKey);
      entry = find(lookupKey, hash);
    } else {
      hash = fieldHash(key, field);
      entry = findField(key, field, hash);
    }
    if (entry < 0) {
      if (kind == EventKind.LOAD) {
        return -1; // a load only annotates a key already seen in this window
      }
      if (kind == EventKind.INVALIDATE) {
        untrackedRemovals.incrementAndGet(); // never pushes a read or written key out
        return -1;
      }
      byte[] member =
          field != null
              ? FieldMember.encode(key, field)
              : lookupKey == key ? Arrays.copyOf(key, key.length) : lookupKey;
      long bytes = memberBytes(member.length);
      while (size() > 0 && memberBytes + bytes > byteBudget) {
        removeLightest();
      }
      entry = claim(hash);
      members[entry] = member;
      memberBytes += bytes;
      hits[entry] = 0;
      misses[entry] = 0;
      writes[entry] = 0;
      loadNanos[entry] = 0;
      loads[entry] = 0;
      ttls[entry] = EventKind.TTL_UNKNOWN;
      removals[entry] = 0;
      if (StoredKey.isTruncated(members[entry])) {
        truncatedKeys++;
      }
    }
    switch (kind) {
      case EventKind.HIT -> hits[entry]++;
      case EventKind.MISS -> misses[entry]++;
      case EventKind.WRITE -> {
        writes[entry]++;
        if (value != EventKind.TTL_UNKNOWN) {
          ttls[entry] = value;
        }
      }
      case EventKind.EXPIRY -> ttls[entry] = value;
      case EventKind.INVALIDATE -> {
        removals[entry]++;
        return entry; // not weight: deletes must not keep a key in the summary
      }
      default -> {
        loadNanos[entry] += value;
        loads[entry]++;
        return entry;
      }
    }
    touch(entry);
    return entry;
  }

  /** The stored member of an entry: the summary's own copy, stable while the entry lives. */
  byte[] member(int entry) {
    return members[entry];
  }

  int memberHash(int entry) {
    return hashOf(entry);
  }

  private int find(byte[] key, int hash) {
    for (int entry = first(hash); entry >= 0; entry = next(entry)) {
      if (hashOf(entry) == hash && Arrays.equals(members[entry], key)) {
        return entry;
      }
    }
    return -1;
  }

  @Override
  void evicted(int entry) {
    if (removals[entry] > 0) {
      untrackedRemovals.addAndGet(removals[entry]);
    }
    droppedHits += hits[entry];
    droppedMisses += misses[entry];
    droppedWrites += writes[entry];
    memberBytes -= memberBytes(members[entry].length);
  }

  @Override
  void moved(int from, int to) {
    members[to] = members[from];
    hits[to] = hits[from];
    misses[to] = misses[from];
    writes[to] = writes[from];
    loadNanos[to] = loadNanos[from];
    loads[to] = loads[from];
    ttls[to] = ttls[from];
    removals[to] = removals[from];
    members[from] = null;
  }

  /** What a stored member costs: its bytes and an array header. */
  static long memberBytes(int length) {
    return length + 16L;
  }

  /** Stored bytes of the tracked keys (for tests and JMX). */
  long memberBytes() {
    return memberBytes;
  }

  private int findField(byte[] key, byte[] field, int hash) {
    for (int entry = first(hash); entry >= 0; entry = next(entry)) {
      if (hashOf(entry) == hash && FieldMember.matches(members[entry], key, field)) {
        return entry;
      }
    }
    return -1;
  }

  /** FNV-1a over the bytes, then a finaliser so that similar keys spread over the buckets. */
  static int hash(byte[] key) {
    return finish(fnv(0x811c9dc5, key));
  }

  /** {@link #hash} of the field's member, from its parts: the same value, nothing built. */
  private static int fieldHash(byte[] key, byte[] field) {
    int h = 0x811c9dc5;
    for (int i = 0; i < FieldMember.HEADER_BYTES; i++) {
      h = (h ^ (FieldMember.headerByte(i, key.length) & 0xFF)) * 0x01000193;
    }
    return finish(fnv(fnv(h, key), field));
  }

  private static int fnv(int h, byte[] bytes) {
    for (byte b : bytes) {
      h = (h ^ (b & 0xFF)) * 0x01000193;
    }
    return h;
  }

  private static int finish(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    return h ^ (h >>> 13);
  }

  /** The window's counts (with its pairs), then an empty summary for {@code nextHour}. */
  WindowSnapshot snapshotAndReset(
      HourBucket nextHour, long lostEvents, long lostReads, PairSummary pairs) {
    int size = size();
    WindowSnapshot snapshot =
        new WindowSnapshot(
            hour,
            Arrays.copyOf(members, size),
            Arrays.copyOf(hits, size),
            Arrays.copyOf(misses, size),
            Arrays.copyOf(writes, size),
            Arrays.copyOf(loadNanos, size),
            Arrays.copyOf(loads, size),
            new WindowTotals(
                droppedHits,
                droppedMisses,
                droppedWrites,
                lostEvents,
                lostReads,
                truncatedKeys,
                0,
                0),
            pairs.encodedPairs(),
            pairs.counts(),
            Arrays.copyOf(ttls, size),
            Arrays.copyOf(removals, size));
    pairs.reset();
    Arrays.fill(members, 0, size, null);
    clear();
    droppedHits = 0;
    droppedMisses = 0;
    droppedWrites = 0;
    truncatedKeys = 0;
    memberBytes = 0;
    hour = nextHour;
    return snapshot;
  }
}
