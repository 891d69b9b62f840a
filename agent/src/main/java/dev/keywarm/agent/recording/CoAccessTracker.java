package dev.keywarm.agent.recording;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds keys read together, on the aggregator thread: each application thread's reads arrive tagged
 * with the thread and a coarse time, and for every read of key B, each different key A that the same
 * thread read within the last {@code windowMillis} (at most {@code windowKeys} of them) counts one
 * ordered pair (A, B) in the {@link PairSummary}. A repeated read refreshes a key's place in the
 * window instead of pairing it twice.
 *
 * <p>The request thread pays nothing for this beyond one volatile read of the coarse clock: the window
 * is kept here, per thread tag, and at most {@value #MAX_THREADS} windows are kept (least recently
 * active thread forgotten first), so memory stays bounded however many threads come and go.
 */
final class CoAccessTracker {

  static final int MAX_THREADS = 4096;

  private final int windowKeys;
  private final long windowMillis;
  private final PairSummary pairs;
  private final Map<Integer, Window> windows = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Window> eldest) {
      return size() > MAX_THREADS;
    }
  };

  CoAccessTracker(int windowKeys, long windowMillis, PairSummary pairs) {
    this.windowKeys = windowKeys;
    this.windowMillis = windowMillis;
    this.pairs = pairs;
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
    private int next;

    Window(int capacity) {
      members = new byte[capacity][];
      hashes = new int[capacity];
      times = new long[capacity];
    }

    void read(long now, byte[] member, int hash) {
      int same = -1;
      for (int i = 0; i < members.length; i++) {
        byte[] earlier = members[i];
        if (earlier == null || now - times[i] > windowMillis) {
          continue;
        }
        if (earlier == member || (hashes[i] == hash && java.util.Arrays.equals(earlier, member))) {
          same = i;
        } else {
          pairs.add(earlier, hashes[i], member, hash);
        }
      }
      int slot = same >= 0 ? same : next;
      if (same < 0) {
        next = (next + 1) % members.length;
      }
      members[slot] = member;
      hashes[slot] = hash;
      times[slot] = now;
    }
  }
}
