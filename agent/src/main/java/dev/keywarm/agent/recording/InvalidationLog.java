package dev.keywarm.agent.recording;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys this JVM wrote, deleted, gave a new expiry or failed to write since the snapshot keeper
 * last took them, each with the time it was seen (epoch ms, taken after the call returned): what
 * the hot-set snapshot needs to never restore a value older than the application's last change.
 *
 * <p>Bounded: at most {@code maxKeys} keys and {@code maxBytes} key bytes. When a key does not fit,
 * nothing is forgotten silently — {@link #overflowMillis()} then says from when no value read
 * before can be vouched for, and the whole snapshot is treated as read before it. The aggregator
 * adds, the keeper takes; one lock, held for a table update.
 *
 * <p>An open-addressing table of parallel arrays: a key seen again (the usual case) costs a hash
 * and a compare and allocates nothing; a new key is copied once per take (every 100 ms).
 */
public final class InvalidationLog {

  /** Taken keys and the time each was last changed. */
  public record Batch(List<byte[]> keys, long[] millis, long overflowMillis) {
    public boolean isEmpty() {
      return keys.isEmpty() && overflowMillis == 0;
    }
  }

  private static final int INITIAL_SLOTS = 1 << 10;

  private final int maxKeys;
  private final long maxBytes;
  private byte[][] keys = new byte[INITIAL_SLOTS][];
  private int[] hashes = new int[INITIAL_SLOTS];
  private long[] millis = new long[INITIAL_SLOTS];
  private int size;
  private long bytes;
  private long overflowMillis;

  public InvalidationLog(int maxKeys, long maxBytes) {
    this.maxKeys = maxKeys;
    this.maxBytes = maxBytes;
  }

  /** Keys changed at {@code at}; aggregator thread. Keys are copied only when new. */
  synchronized void addAll(List<byte[]> changed, long at) {
    for (int i = 0; i < changed.size(); i++) {
      put(changed.get(i), at, true);
    }
  }

  /** For a test or a caller outside a drain. */
  public synchronized void add(byte[] key, long at) {
    put(key, at, true);
  }

  private void put(byte[] key, long at, boolean copy) {
    int hash = Arrays.hashCode(key);
    int mask = keys.length - 1;
    int slot = mix(hash) & mask;
    for (byte[] there; (there = keys[slot]) != null; slot = (slot + 1) & mask) {
      if (hashes[slot] == hash && Arrays.equals(there, key)) {
        millis[slot] = Math.max(millis[slot], at);
        return;
      }
    }
    if (size >= maxKeys || bytes + key.length > maxBytes) {
      overflowMillis = Math.max(overflowMillis, at);
      return;
    }
    keys[slot] = copy ? key.clone() : key;
    hashes[slot] = hash;
    millis[slot] = at;
    size++;
    bytes += key.length;
    if (size * 2 > keys.length) {
      grow();
    }
  }

  private void grow() {
    byte[][] oldKeys = keys;
    int[] oldHashes = hashes;
    long[] oldMillis = millis;
    keys = new byte[oldKeys.length * 2][];
    hashes = new int[keys.length];
    millis = new long[keys.length];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        int slot = mix(oldHashes[i]) & mask;
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        hashes[slot] = oldHashes[i];
        millis[slot] = oldMillis[i];
      }
    }
  }

  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** Everything pending, and the log empty again. */
  public synchronized Batch take() {
    List<byte[]> taken = new ArrayList<>(size);
    long[] times = new long[size];
    if (size > 0) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] != null) {
          times[taken.size()] = millis[i];
          taken.add(keys[i]);
          keys[i] = null;
        }
      }
    }
    Batch batch = new Batch(taken, times, overflowMillis);
    size = 0;
    bytes = 0;
    overflowMillis = 0;
    return batch;
  }

  /** A batch that could not be published goes back, merged with what came since. */
  public synchronized void putBack(Batch batch) {
    for (int i = 0; i < batch.keys().size(); i++) {
      put(batch.keys().get(i), batch.millis()[i], false);
    }
    overflowMillis = Math.max(overflowMillis, batch.overflowMillis());
  }

  /** Keys pending now. */
  public synchronized int size() {
    return size;
  }

  /** Latest time a key did not fit (0: none since the last take). */
  public synchronized long overflowMillis() {
    return overflowMillis;
  }
}
