package dev.keywarm.agent.recording;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds keys read together, on the aggregator thread: each application thread's reads arrive tagged
 * with the thread and a coarse time. The count of an ordered pair (A, B) means: reads of A that the
 * same thread followed, within {@code windowMillis} and its last {@code windowKeys} distinct keys,
 * by at least one read of B. So each read of A counts at most once per B, count(A→B) ≤ reads(A),
 * and the analyzer's confidence count(A→B) / reads(A) is a probability. A read of B pairs with each
 * remembered read of A made since B's own previous read (an earlier A was already paired with that
 * one); a repeated read refreshes a key's place. When the window is full the oldest read gives way,
 * which keeps that rule exact: a forgotten read of B is older than every read still remembered.
 *
 * <p>The request thread pays nothing for this beyond one volatile read of the coarse clock: the
 * window is kept here, per thread tag, for at most {@code 32 768 / windowKeys} threads (least
 * recently active thread forgotten first), so the members it references — the key summary's own
 * copies, at most {@link dev.keywarm.schema.StoredKey#MAX_BYTES} each — stay under 32 768 × 512 B =
 * 16 MB however many threads come and go.
 */
final class CoAccessTracker {

  /** Reads remembered over all threads' windows together. */
  static final int MAX_REMEMBERED_READS = 32_768;

  private final int windowKeys;
  private final long windowMillis;
  private final PairSummary pairs;
  private final int maxThreads;
  private final Map<Integer, Window> windows;

  CoAccessTracker(int windowKeys, long windowMillis, PairSummary pairs) {
    this.windowKeys = windowKeys;
    this.windowMillis = windowMillis;
    this.pairs = pairs;
    this.maxThreads = Math.max(16, MAX_REMEMBERED_READS / Math.max(1, windowKeys));
    this.windows =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Window> eldest) {
            return size() > maxThreads;
          }
        };
  }

  boolean isEnabled() {
    return windowKeys > 0 && pairs.isEnabled();
  }

  // Consecutive drained events mostly come from one thread: remember its window and skip the map
  // (whose boxed keys and capturing lambdas would allocate on every read).
  private int lastTag = -1;
  private Window lastWindow;

  void read(int threadTag, long millis, byte[] member, int memberHash) {
    if (threadTag == CommandOrigins.UNKNOWN_THREAD) {
      return;
    }
    Window window = lastWindow;
    if (threadTag != lastTag || window == null) {
      window = windows.get(threadTag);
      if (window == null) {
        window = new Window(windowKeys);
        windows.put(threadTag, window);
      }
      lastTag = threadTag;
      lastWindow = window;
    }
    window.read(millis, member, memberHash);
  }

  private final class Window {
    private final byte[][] members;
    private final int[] hashes;
    private final long[] times;

    /** Order of the reads: a counter per window, as coarse times tie. */
    private final long[] sequences;

    private long sequence;

    Window(int capacity) {
      members = new byte[capacity][];
      hashes = new int[capacity];
      times = new long[capacity];
      sequences = new long[capacity];
    }

    void read(long now, byte[] member, int hash) {
      int same = -1;
      for (int i = 0; i < members.length; i++) {
        byte[] earlier = members[i];
        if (earlier != null
            && (earlier == member
                || (hashes[i] == hash && java.util.Arrays.equals(earlier, member)))) {
          same = i;
          break;
        }
      }
      long previousRead = same >= 0 ? sequences[same] : 0;
      int oldest = 0;
      for (int i = 0; i < members.length; i++) {
        byte[] earlier = members[i];
        if (earlier == null) {
          oldest = i;
          sequences[i] = Long.MIN_VALUE; // an empty slot is taken first
          continue;
        }
        if (sequences[i] < sequences[oldest]) {
          oldest = i;
        }
        if (i != same && sequences[i] > previousRead && now - times[i] <= windowMillis) {
          pairs.add(earlier, hashes[i], member, hash);
        }
      }
      int slot = same >= 0 ? same : oldest;
      members[slot] = member;
      hashes[slot] = hash;
      times[slot] = now;
      sequences[slot] = ++sequence;
    }
  }
}
