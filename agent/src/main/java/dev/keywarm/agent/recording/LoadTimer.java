package dev.keywarm.agent.recording;

import java.util.Arrays;

/**
 * Times cache-aside loads on one thread: a GET miss of key K followed, on the same thread and within
 * the load window, by a SET-family write of K is a load, and the gap is what the load cost — the time
 * a warm cache saves. Remembers the last {@value #SLOTS} misses (an MGET can miss several keys that
 * are then loaded one by one); older misses are simply forgotten, never an error.
 *
 * <p>Thread-confined: owned by one {@link ThreadRecorder}, so it needs no synchronisation.
 */
final class LoadTimer {

  private static final int SLOTS = 8;

  private final long windowNanos;
  private final byte[][] keys = new byte[SLOTS][];
  private final long[] missedAt = new long[SLOTS];
  private int next;
  private int pending;

  LoadTimer(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /** A repeated miss of a pending key restarts its clock: the latest miss is where a load starts. */
  void missed(byte[] key, long now) {
    int slot = indexOf(key);
    if (slot < 0) {
      slot = next;
      next = (slot + 1) & (SLOTS - 1);
      if (keys[slot] == null) {
        pending++;
      }
    }
    keys[slot] = key;
    missedAt[slot] = now;
  }

  /** The load time in ns if {@code key} missed recently on this thread, else -1. */
  long loaded(byte[] key) {
    if (pending == 0) {
      return -1;
    }
    int slot = indexOf(key);
    if (slot < 0) {
      return -1;
    }
    keys[slot] = null;
    pending--;
    long gap = System.nanoTime() - missedAt[slot];
    return gap <= windowNanos ? gap : -1;
  }

  private int indexOf(byte[] key) {
    if (pending == 0) {
      return -1;
    }
    for (int i = 0; i < SLOTS; i++) {
      byte[] candidate = keys[i];
      if (candidate != null && (candidate == key || Arrays.equals(candidate, key))) {
        return i;
      }
    }
    return -1;
  }
}
