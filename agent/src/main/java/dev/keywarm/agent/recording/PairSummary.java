package dev.keywarm.agent.recording;

import dev.keywarm.schema.PairMember;
import java.util.Arrays;

/**
 * Counts ordered pairs of keys read close together (see {@link CoAccessTracker}), bounded to {@code
 * capacity} pairs per window by Space-Saving ({@link SpaceSavingTable}), exactly like {@link
 * KeySummary}: pairs seen more than N / capacity times in a window of N pair observations survive,
 * and the flushed count of a pair never overestimates. Keys are the key summary's own member
 * arrays, so a pair costs two references, not two copies; the encoded {@link PairMember} is built
 * only when the window is sealed. Capacity 0 turns pairs off.
 */
final class PairSummary extends SpaceSavingTable {

  private byte[][] firsts;
  private byte[][] seconds;
  private long[] counts;

  PairSummary(int capacity) {
    super(capacity);
    growEntries(Math.max(1, Math.min(1024, capacity)));
  }

  @Override
  void growEntries(int entries) {
    firsts = firsts == null ? new byte[entries][] : Arrays.copyOf(firsts, entries);
    seconds = seconds == null ? new byte[entries][] : Arrays.copyOf(seconds, entries);
    counts = counts == null ? new long[entries] : Arrays.copyOf(counts, entries);
  }

  boolean isEnabled() {
    return capacity() > 0;
  }

  /** {@code second} was read shortly after {@code first} on the same thread. */
  void add(byte[] first, int firstHash, byte[] second, int secondHash) {
    int hash = firstHash * 0x9E3779B1 + secondHash;
    int entry = find(first, second, hash);
    if (entry < 0) {
      entry = claim(hash);
      firsts[entry] = first;
      seconds[entry] = second;
      counts[entry] = 0;
    }
    counts[entry]++;
    touch(entry);
  }

  private int find(byte[] first, byte[] second, int hash) {
    for (int entry = first(hash); entry >= 0; entry = next(entry)) {
      if (hashOf(entry) == hash && same(firsts[entry], first) && same(seconds[entry], second)) {
        return entry;
      }
    }
    return -1;
  }

  private static boolean same(byte[] a, byte[] b) {
    return a == b || Arrays.equals(a, b);
  }

  @Override
  void evicted(int entry) {
    // a pair's count is not worth a meta counter: pairs are a ranking signal, not a tally
  }

  @Override
  void moved(int from, int to) {
    firsts[to] = firsts[from];
    seconds[to] = seconds[from];
    counts[to] = counts[from];
    firsts[from] = null;
    seconds[from] = null;
  }

  byte[][] encodedPairs() {
    byte[][] encoded = new byte[size()][];
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = PairMember.encode(firsts[i], seconds[i]);
    }
    return encoded;
  }

  long[] counts() {
    return Arrays.copyOf(counts, size());
  }

  void reset() {
    Arrays.fill(firsts, 0, size(), null);
    Arrays.fill(seconds, 0, size(), null);
    clear();
  }
}
