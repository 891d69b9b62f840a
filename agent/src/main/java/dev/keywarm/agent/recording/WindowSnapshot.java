package dev.keywarm.agent.recording;

import dev.keywarm.schema.HourBucket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What one flush window recorded for one hour, frozen for the flusher: per-key counters in parallel
 * arrays (entry i is {@code members[i]}), co-access pairs ({@code pairs[i]} is a {@link
 * dev.keywarm.schema.PairMember}) and the window's {@link WindowTotals}. {@code ttls[i]} is the
 * expiry the application last gave the key in the window ({@link EventKind#TTL_NONE}, a TTL in ms,
 * or {@link EventKind#TTL_UNKNOWN} if no write or expiry change said). {@code removals[i]}: the
 * times the application deleted it (counted only for the meters, else 0).
 */
public record WindowSnapshot(
    HourBucket hour,
    byte[][] members,
    long[] hits,
    long[] misses,
    long[] writes,
    long[] loadNanos,
    long[] loads,
    WindowTotals totals,
    byte[][] pairs,
    long[] pairCounts,
    long[] ttls,
    long[] removals) {

  /** A window without deletes counted. */
  public WindowSnapshot(
      HourBucket hour,
      byte[][] members,
      long[] hits,
      long[] misses,
      long[] writes,
      long[] loadNanos,
      long[] loads,
      WindowTotals totals,
      byte[][] pairs,
      long[] pairCounts,
      long[] ttls) {
    this(
        hour,
        members,
        hits,
        misses,
        writes,
        loadNanos,
        loads,
        totals,
        pairs,
        pairCounts,
        ttls,
        new long[members.length]);
  }

  /** A window that saw no expiry: every TTL unknown. */
  public WindowSnapshot(
      HourBucket hour,
      byte[][] members,
      long[] hits,
      long[] misses,
      long[] writes,
      long[] loadNanos,
      long[] loads,
      WindowTotals totals,
      byte[][] pairs,
      long[] pairCounts) {
    this(
        hour,
        members,
        hits,
        misses,
        writes,
        loadNanos,
        loads,
        totals,
        pairs,
        pairCounts,
        new long[members.length]);
  }

  /** A window that carries only totals. */
  public static WindowSnapshot totalsOnly(HourBucket hour, WindowTotals totals) {
    return new WindowSnapshot(
        hour,
        new byte[0][],
        new long[0],
        new long[0],
        new long[0],
        new long[0],
        new long[0],
        totals,
        new byte[0][],
        new long[0]);
  }

  /** Heap a member or pair costs beyond its bytes: array header, reference, counters. */
  private static final long ENTRY_OVERHEAD = 64;

  public int size() {
    return members.length;
  }

  public boolean isEmpty() {
    return members.length == 0 && pairs.length == 0 && totals.isZero();
  }

  /** Heap this window holds: every member and pair with its counters. */
  public long heapBytes() {
    long bytes = 0;
    for (byte[] member : members) {
      bytes += member.length + ENTRY_OVERHEAD;
    }
    for (byte[] pair : pairs) {
      bytes += pair.length + ENTRY_OVERHEAD;
    }
    return bytes;
  }

  /** Reads (hits and misses) attributed to keys. */
  public long keyedReads() {
    long reads = 0;
    for (int i = 0; i < members.length; i++) {
      reads += hits[i] + misses[i];
    }
    return reads;
  }

  public long keyedWrites() {
    long sum = 0;
    for (long w : writes) {
      sum += w;
    }
    return sum;
  }

  /** The same window with other totals. */
  public WindowSnapshot withTotals(WindowTotals newTotals) {
    return new WindowSnapshot(
        hour,
        members,
        hits,
        misses,
        writes,
        loadNanos,
        loads,
        newTotals,
        pairs,
        pairCounts,
        ttls,
        removals);
  }

  /**
   * This window and a later one of the same hour as one: counters of the same key summed. A long
   * stats-Redis outage then costs the backlog the hour's distinct keys, not one copy per window.
   */
  public WindowSnapshot merge(WindowSnapshot later) {
    if (!hour.equals(later.hour)) {
      throw new IllegalArgumentException("windows of different hours: " + hour + ", " + later.hour);
    }
    Map<ByteBuffer, Integer> index = new HashMap<>(members.length + later.members.length);
    int n = members.length;
    byte[][] m = Arrays.copyOf(members, n + later.members.length);
    long[][] c = {
      Arrays.copyOf(hits, m.length),
      Arrays.copyOf(misses, m.length),
      Arrays.copyOf(writes, m.length),
      Arrays.copyOf(loadNanos, m.length),
      Arrays.copyOf(loads, m.length),
      Arrays.copyOf(ttls, m.length),
      Arrays.copyOf(removals, m.length)
    };
    for (int i = 0; i < members.length; i++) {
      index.put(ByteBuffer.wrap(members[i]), i);
    }
    for (int i = 0; i < later.members.length; i++) {
      Integer at = index.putIfAbsent(ByteBuffer.wrap(later.members[i]), n);
      int slot = at == null ? n++ : at;
      m[slot] = later.members[i];
      c[0][slot] += later.hits[i];
      c[1][slot] += later.misses[i];
      c[2][slot] += later.writes[i];
      c[3][slot] += later.loadNanos[i];
      c[4][slot] += later.loads[i];
      if (later.ttls[i] != EventKind.TTL_UNKNOWN) {
        c[5][slot] = later.ttls[i]; // the later window's word on the expiry wins
      }
      c[6][slot] += later.removals[i];
    }
    Map<ByteBuffer, Integer> pairIndex = new HashMap<>(pairs.length + later.pairs.length);
    int p = pairs.length;
    byte[][] mp = Arrays.copyOf(pairs, p + later.pairs.length);
    long[] cp = Arrays.copyOf(pairCounts, mp.length);
    for (int i = 0; i < pairs.length; i++) {
      pairIndex.put(ByteBuffer.wrap(pairs[i]), i);
    }
    for (int i = 0; i < later.pairs.length; i++) {
      Integer at = pairIndex.putIfAbsent(ByteBuffer.wrap(later.pairs[i]), p);
      int slot = at == null ? p++ : at;
      mp[slot] = later.pairs[i];
      cp[slot] += later.pairCounts[i];
    }
    return new WindowSnapshot(
        hour,
        Arrays.copyOf(m, n),
        Arrays.copyOf(c[0], n),
        Arrays.copyOf(c[1], n),
        Arrays.copyOf(c[2], n),
        Arrays.copyOf(c[3], n),
        Arrays.copyOf(c[4], n),
        totals.plus(later.totals),
        Arrays.copyOf(mp, p),
        Arrays.copyOf(cp, p),
        Arrays.copyOf(c[5], n),
        Arrays.copyOf(c[6], n));
  }

  /**
   * This window cut to at most {@code keepBytes} of heap: pairs go first (a ranking signal, not a
   * tally), then the coldest keys; what the cut keys counted moves to the unwritten totals, so the
   * hottest keys are kept and nothing disappears uncounted.
   */
  public WindowSnapshot trimTo(int keepEntries, long keepBytes) {
    if (size() <= keepEntries && heapBytes() <= keepBytes) {
      return this;
    }
    long memberBytes = 0;
    for (byte[] member : members) {
      memberBytes += member.length + ENTRY_OVERHEAD;
    }
    if (size() <= keepEntries && memberBytes <= keepBytes) {
      return new WindowSnapshot(
          hour,
          members,
          hits,
          misses,
          writes,
          loadNanos,
          loads,
          totals,
          new byte[0][],
          new long[0],
          ttls,
          removals);
    }
    Integer[] order = new Integer[members.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Long.compare(weight(y), weight(x)));
    int keep = 0;
    long bytes = 0;
    while (keep < order.length
        && keep < keepEntries
        && bytes + members[order[keep]].length + ENTRY_OVERHEAD <= keepBytes) {
      bytes += members[order[keep]].length + ENTRY_OVERHEAD;
      keep++;
    }
    long cutReads = 0;
    long cutWrites = 0;
    for (int k = keep; k < order.length; k++) {
      cutReads += hits[order[k]] + misses[order[k]];
      cutWrites += writes[order[k]];
    }
    int[] kept = new int[keep];
    for (int k = 0; k < keep; k++) {
      kept[k] = order[k];
    }
    return select(kept, keep, new int[0], 0).withTotals(totals.unwritten(cutReads, cutWrites));
  }

  /**
   * The entries {@code members[0..memberCount)} and pairs {@code pairs[0..pairCount)} (indices into
   * this window, in that order) as a window of their own, without totals: one stats shard's part,
   * the hottest keys a cut keeps.
   */
  public WindowSnapshot select(int[] memberIndex, int memberCount, int[] pairIndex, int pairCount) {
    byte[][] m = new byte[memberCount][];
    long[][] c = new long[8][memberCount];
    for (int k = 0; k < memberCount; k++) {
      int i = memberIndex[k];
      m[k] = members[i];
      c[0][k] = hits[i];
      c[1][k] = misses[i];
      c[2][k] = writes[i];
      c[3][k] = loadNanos[i];
      c[4][k] = loads[i];
      c[5][k] = ttls[i];
      c[6][k] = removals[i];
    }
    byte[][] p = new byte[pairCount][];
    long[] pc = new long[pairCount];
    for (int k = 0; k < pairCount; k++) {
      p[k] = pairs[pairIndex[k]];
      pc[k] = pairCounts[pairIndex[k]];
    }
    return new WindowSnapshot(
        hour, m, c[0], c[1], c[2], c[3], c[4], WindowTotals.NONE, p, pc, c[5], c[6]);
  }

  /**
   * Only the totals, with the counts of the keys from entry {@code firstUnwritten} on added to the
   * unwritten totals: what is left to report of a window whose keys could not all be written.
   */
  public WindowSnapshot unwrittenRemainder(int firstUnwritten) {
    long reads = 0;
    long writesLeft = 0;
    for (int i = Math.max(0, firstUnwritten); i < members.length; i++) {
      reads += hits[i] + misses[i];
      writesLeft += writes[i];
    }
    return totalsOnly(hour, totals.unwritten(reads, writesLeft));
  }

  private long weight(int i) {
    return hits[i] + misses[i] + writes[i];
  }
}
