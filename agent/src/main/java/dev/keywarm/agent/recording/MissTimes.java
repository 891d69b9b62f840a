package dev.keywarm.agent.recording;

import dev.keywarm.schema.StoredKey;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Times cache-aside loads: a GET miss of key K followed, within the load window, by a SET-family
 * write of K is a load (for a hash field: an HGET miss, then an HSET of that field), and the gap is
 * what the load cost — the time a warm cache saves. Matched by key, not by thread, because with
 * asynchronous clients the miss and the write complete on whatever I/O threads their connections
 * use.
 *
 * <p>A fixed table of recent misses indexed by the key's 64-bit hash, in parallel arrays guarded by
 * one sequence number per slot (a seqlock): odd while a miss is being written, advanced by two when
 * it is complete or taken. A key is remembered by its hash alone, never by reference, so the table
 * holds no application key however large or however many keys miss: its memory is fixed at {@code
 * slots × 24} bytes. Two keys with the same 64-bit hash are taken for one (odds ~2⁻⁶⁴ per pair). A
 * newer miss with the same index replaces an older one, a write that finds its miss takes it out
 * with one CAS (so one miss times one load), and any race — two threads on one slot — loses the
 * sample. Lossy by design: a forgotten miss is a load not timed, never a wrong one. Cost: a hash of
 * the key on each miss and each write, a few stores; no allocation, nothing on a hit.
 */
final class MissTimes {

  private final AtomicLongArray sequences;
  private final long[] hashes;
  private final long[] nanos;
  private final int mask;
  private final long windowNanos;

  MissTimes(int slots, long windowNanos) {
    int size = Integer.highestOneBit(Math.max(16, slots - 1)) << 1;
    this.sequences = new AtomicLongArray(size);
    this.hashes = new long[size];
    this.nanos = new long[size];
    this.mask = size - 1;
    this.windowNanos = windowNanos;
  }

  void missed(byte[] key, byte[] field, long now) {
    long hash = hash(key, field);
    int slot = index(hash);
    long sequence = sequences.get(slot);
    if ((sequence & 1) != 0 || !sequences.compareAndSet(slot, sequence, sequence + 1)) {
      return; // another thread is writing this slot: lose this sample
    }
    hashes[slot] = hash;
    nanos[slot] = now;
    sequences.set(slot, sequence + 2);
  }

  /** The load time in ns if {@code key} missed within the window, else -1. */
  long loaded(byte[] key, byte[] field, long now) {
    long hash = hash(key, field);
    int slot = index(hash);
    long sequence = sequences.get(slot);
    if ((sequence & 1) != 0) {
      return -1;
    }
    long candidate = hashes[slot];
    long missedAt = nanos[slot];
    // 0 marks a taken slot; a key whose hash is 0 is simply never timed
    if (candidate != hash || hash == 0 || !sequences.compareAndSet(slot, sequence, sequence + 1)) {
      return -1; // not this key's miss, or the slot changed while we read it
    }
    hashes[slot] = 0;
    sequences.set(slot, sequence + 2);
    long gap = now - missedAt;
    return gap >= 0 && gap <= windowNanos ? gap : -1;
  }

  /** A key's 64-bit hash; a hash field's mixes in the field's, so it differs from any key's. */
  private static long hash(byte[] key, byte[] field) {
    long hash = StoredKey.hash64(key);
    return field == null
        ? hash
        : Long.rotateLeft(hash * 0x9E3779B97F4A7C15L, 31) ^ StoredKey.hash64(field);
  }

  private int index(long hash) {
    return (int) (hash ^ (hash >>> 32) ^ (hash >>> 16)) & mask;
  }
}
