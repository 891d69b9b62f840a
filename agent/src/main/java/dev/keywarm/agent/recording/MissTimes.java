package dev.keywarm.agent.recording;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Times cache-aside loads: a GET miss of key K followed, within the load window, by a SET-family
 * write of K is a load, and the gap is what the load cost — the time a warm cache saves. Matched by
 * key, not by thread, because with asynchronous clients the miss and the write complete on whatever
 * I/O threads their connections use.
 *
 * <p>A fixed table of {@code slots} recent misses, indexed by the key's hash: a newer miss of a key
 * with the same index replaces an older one (lossy by design: a forgotten miss is a load not timed,
 * never a wrong time), and a write takes its miss out with one CAS, so one miss times one load. Cost:
 * a hash of the key on each miss and each write, and a 32-byte stamp per miss; nothing on a hit.
 */
final class MissTimes {

  private record Stamp(byte[] key, int hash, long nanos) {}

  private final AtomicReferenceArray<Stamp> slots;
  private final int mask;
  private final long windowNanos;

  MissTimes(int slots, long windowNanos) {
    int size = Integer.highestOneBit(Math.max(16, slots - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.windowNanos = windowNanos;
  }

  void missed(byte[] key, long nanos) {
    int hash = Arrays.hashCode(key);
    slots.set(index(hash), new Stamp(key, hash, nanos));
  }

  /** The load time in ns if {@code key} missed within the window, else -1. */
  long loaded(byte[] key, long nanos) {
    int hash = Arrays.hashCode(key);
    int index = index(hash);
    Stamp stamp = slots.get(index);
    if (stamp == null || stamp.hash != hash
        || (stamp.key != key && !Arrays.equals(stamp.key, key))
        || !slots.compareAndSet(index, stamp, null)) {
      return -1;
    }
    long gap = nanos - stamp.nanos;
    return gap >= 0 && gap <= windowNanos ? gap : -1;
  }

  private int index(int hash) {
    return (hash ^ (hash >>> 16)) & mask;
  }
}
