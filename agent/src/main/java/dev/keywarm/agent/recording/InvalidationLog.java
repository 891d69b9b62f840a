package dev.keywarm.agent.recording;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys this JVM wrote, deleted, gave a new expiry or failed to write since the snapshot keeper
 * last took them, each with the time it was seen (epoch ms, taken after the call returned): what
 * the hot-set snapshot needs to never restore a value older than the application's last change.
 *
 * <p>Bounded: at most {@code maxKeys} keys and {@code maxBytes} key bytes. When a key does not fit,
 * nothing is forgotten silently — {@link #overflowMillis()} then says from when no value read
 * before can be vouched for, and the whole snapshot is treated as read before it. The aggregator
 * adds, the keeper takes; one lock, held for a map update.
 */
public final class InvalidationLog {

  /** Taken keys and the time each was last changed. */
  public record Batch(List<byte[]> keys, long[] millis, long overflowMillis) {
    public boolean isEmpty() {
      return keys.isEmpty() && overflowMillis == 0;
    }
  }

  private final int maxKeys;
  private final long maxBytes;
  private HashMap<Key, Long> pending = new HashMap<>();
  private long pendingBytes;
  private long overflowMillis;

  public InvalidationLog(int maxKeys, long maxBytes) {
    this.maxKeys = maxKeys;
    this.maxBytes = maxBytes;
  }

  /** Keys changed at {@code millis}; aggregator thread. Keys are copied only when new. */
  synchronized void addAll(List<byte[]> keys, long millis) {
    for (byte[] key : keys) {
      put(new Key(key), millis, true);
    }
  }

  /** For a test or a caller outside a drain. */
  public synchronized void add(byte[] key, long millis) {
    put(new Key(key), millis, true);
  }

  private void put(Key key, long millis, boolean copy) {
    Long before = pending.get(key);
    if (before != null) {
      if (millis > before) {
        pending.put(key, millis);
      }
      return;
    }
    if (pending.size() >= maxKeys || pendingBytes + key.bytes.length > maxBytes) {
      overflowMillis = Math.max(overflowMillis, millis);
      return;
    }
    pending.put(copy ? new Key(key.bytes.clone()) : key, millis);
    pendingBytes += key.bytes.length;
  }

  /** Everything pending, and the log empty again. */
  public synchronized Batch take() {
    HashMap<Key, Long> taken = pending;
    long overflow = overflowMillis;
    pending = new HashMap<>();
    pendingBytes = 0;
    overflowMillis = 0;
    List<byte[]> keys = new ArrayList<>(taken.size());
    long[] millis = new long[taken.size()];
    int i = 0;
    for (Map.Entry<Key, Long> entry : taken.entrySet()) {
      keys.add(entry.getKey().bytes);
      millis[i++] = entry.getValue();
    }
    return new Batch(keys, millis, overflow);
  }

  /** A batch that could not be published goes back, merged with what came since. */
  public synchronized void putBack(Batch batch) {
    for (int i = 0; i < batch.keys().size(); i++) {
      put(new Key(batch.keys().get(i)), batch.millis()[i], false);
    }
    overflowMillis = Math.max(overflowMillis, batch.overflowMillis());
  }

  /** Keys pending now. */
  public synchronized int size() {
    return pending.size();
  }

  /** Latest time a key did not fit (0: none since the last take). */
  public synchronized long overflowMillis() {
    return overflowMillis;
  }

  private static final class Key {
    final byte[] bytes;
    final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
