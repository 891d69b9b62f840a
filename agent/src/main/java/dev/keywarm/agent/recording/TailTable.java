package dev.keywarm.agent.recording;

import dev.keywarm.schema.HourBucket;
import java.util.Arrays;

/**
 * The long tail of one hour's windows, merged in process until it is written: per-key counters
 * summed over windows, bounded to {@code capacity} keys and {@code byteBudget} of key bytes by
 * Space-Saving on weight (hits + misses + writes), as {@link KeySummary} is per window (Metwally et
 * al., ICDT 2005; the bookkeeping is {@link SpaceSavingTable}), and co-access pairs likewise to
 * {@code maxPairs}.
 *
 * <p>Exactness: a key added once and never evicted is written with exactly the sum of what its
 * windows counted. An evicted key's counts go to the {@code dropped} totals of the table's snapshot
 * (the hour's meta {@code dropped_*}, like a window's evictions), so entries plus dropped always
 * equal what was added. For a tail of N events in the hour, any key whose tail weight exceeds N /
 * capacity at every point is never evicted. {@code ttls}: the latest known word wins, {@link
 * #forgetTtl} withdraws it when a newer one left by another way. {@code loads} and {@code
 * loadNanos} are summed; an evicted key's loads go with it (they annotate counts, they are not
 * counts). Deletes ({@code removals}) are for the meters, which see whole windows: not kept. A
 * pair's count is a ranking signal, never a tally: an evicted pair is not counted anywhere.
 *
 * <p>Memory: the table keeps the windows' own member arrays (never copied; a sealed window is never
 * changed). Per key about 88 bytes (a member reference, six longs, hash, chain, heap position and
 * weight) plus its stored bytes, which together stay within {@code byteBudget}; per pair about 56
 * bytes plus its encoded bytes (at most {@code 2 × StoredKey.MAX_BYTES + 8}). Arrays grow by
 * doubling up to the bounds and are reused after each {@link #drain}. Single-threaded.
 */
public final class TailTable {

  private final Keys keys;
  private final Pairs pairs;
  private HourBucket hour;

  public TailTable(int capacity, long byteBudget, int maxPairs) {
    keys = new Keys(capacity, byteBudget);
    pairs = new Pairs(maxPairs);
  }

  /** The hour this table holds, or null when it holds nothing yet. */
  public HourBucket hour() {
    return hour;
  }

  public boolean isEmpty() {
    return hour == null;
  }

  public int keys() {
    return keys.size();
  }

  public int pairs() {
    return pairs.size();
  }

  /** Reads this table holds for the flusher: in its keys and in its dropped totals. */
  public long heldReads() {
    return keys.heldReads;
  }

  /** Writes this table holds for the flusher: in its keys and in its dropped totals. */
  public long heldWrites() {
    return keys.heldWrites;
  }

  /** Entry {@code i} of {@code window} added to the table, which must be empty or of its hour. */
  public void add(WindowSnapshot window, int i) {
    claimHour(window.hour());
    keys.add(window, i);
  }

  /** Pair {@code i} of {@code window} added, like {@link #add}. */
  public void addPair(WindowSnapshot window, int i) {
    claimHour(window.hour());
    pairs.add(window.pairs()[i], window.pairCounts()[i]);
  }

  /** A newer word on the key's expiry went another way: the table's older one must not follow. */
  public void forgetTtl(byte[] member) {
    if (hour != null) {
      keys.forgetTtl(member);
    }
  }

  private void claimHour(HourBucket windowHour) {
    if (hour == null) {
      hour = windowHour;
    } else if (!hour.equals(windowHour)) {
      throw new IllegalArgumentException("the table holds " + hour + ", not " + windowHour);
    }
  }

  /** Everything held as one window of the table's hour (null if empty); the table is then empty. */
  public WindowSnapshot drain() {
    if (hour == null) {
      return null;
    }
    WindowSnapshot snapshot = keys.snapshot(hour, pairs);
    keys.reset();
    pairs.reset();
    hour = null;
    return snapshot;
  }

  private static final class Keys extends SpaceSavingTable {
    private final long byteBudget;
    private byte[][] members;
    private long[] hits;
    private long[] misses;
    private long[] writes;
    private long[] loadNanos;
    private long[] loads;
    private long[] ttls;
    private long memberBytes;
    private long droppedHits;
    private long droppedMisses;
    private long droppedWrites;
    long heldReads;
    long heldWrites;

    Keys(int capacity, long byteBudget) {
      super(capacity);
      this.byteBudget = byteBudget;
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
    }

    void add(WindowSnapshot window, int i) {
      byte[] member = window.members()[i];
      int hash = KeySummary.hash(member);
      int entry = find(member, hash);
      if (entry < 0) {
        long bytes = KeySummary.memberBytes(member.length);
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
      }
      long h = window.hits()[i];
      long m = window.misses()[i];
      long w = window.writes()[i];
      hits[entry] += h;
      misses[entry] += m;
      writes[entry] += w;
      loadNanos[entry] += window.loadNanos()[i];
      loads[entry] += window.loads()[i];
      if (window.ttls()[i] != EventKind.TTL_UNKNOWN) {
        ttls[entry] = window.ttls()[i];
      }
      heldReads += h + m;
      heldWrites += w;
      touch(entry, h + m + w);
    }

    void forgetTtl(byte[] member) {
      int entry = find(member, KeySummary.hash(member));
      if (entry >= 0) {
        ttls[entry] = EventKind.TTL_UNKNOWN;
      }
    }

    private int find(byte[] member, int hash) {
      for (int entry = first(hash); entry >= 0; entry = next(entry)) {
        if (hashOf(entry) == hash && Arrays.equals(members[entry], member)) {
          return entry;
        }
      }
      return -1;
    }

    @Override
    void evicted(int entry) {
      droppedHits += hits[entry];
      droppedMisses += misses[entry];
      droppedWrites += writes[entry];
      memberBytes -= KeySummary.memberBytes(members[entry].length);
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
      members[from] = null;
    }

    WindowSnapshot snapshot(HourBucket hour, Pairs pairs) {
      int n = size();
      return new WindowSnapshot(
          hour,
          Arrays.copyOf(members, n),
          Arrays.copyOf(hits, n),
          Arrays.copyOf(misses, n),
          Arrays.copyOf(writes, n),
          Arrays.copyOf(loadNanos, n),
          Arrays.copyOf(loads, n),
          new WindowTotals(droppedHits, droppedMisses, droppedWrites, 0, 0, 0, 0, 0),
          Arrays.copyOf(pairs.members, pairs.size()),
          Arrays.copyOf(pairs.counts, pairs.size()),
          Arrays.copyOf(ttls, n),
          new long[n]);
    }

    void reset() {
      Arrays.fill(members, 0, size(), null);
      clear();
      memberBytes = 0;
      droppedHits = 0;
      droppedMisses = 0;
      droppedWrites = 0;
      heldReads = 0;
      heldWrites = 0;
    }
  }

  private static final class Pairs extends SpaceSavingTable {
    private byte[][] members;
    private long[] counts;

    Pairs(int capacity) {
      super(capacity);
      growEntries(Math.max(1, Math.min(1024, capacity)));
    }

    @Override
    void growEntries(int entries) {
      members = members == null ? new byte[entries][] : Arrays.copyOf(members, entries);
      counts = grow(counts, entries);
    }

    void add(byte[] pair, long count) {
      if (capacity() == 0) {
        return;
      }
      int hash = KeySummary.hash(pair);
      int entry = -1;
      for (int e = first(hash); e >= 0; e = next(e)) {
        if (hashOf(e) == hash && Arrays.equals(members[e], pair)) {
          entry = e;
          break;
        }
      }
      if (entry < 0) {
        entry = claim(hash);
        members[entry] = pair;
        counts[entry] = 0;
      }
      counts[entry] += count;
      touch(entry, count);
    }

    @Override
    void evicted(int entry) {
      // a pair's count ranks pairs; it is no tally the hour's meta accounts for
    }

    @Override
    void moved(int from, int to) {
      members[to] = members[from];
      counts[to] = counts[from];
      members[from] = null;
    }

    void reset() {
      Arrays.fill(members, 0, size(), null);
      clear();
    }
  }

  private static long[] grow(long[] array, int entries) {
    return array == null ? new long[entries] : Arrays.copyOf(array, entries);
  }
}
