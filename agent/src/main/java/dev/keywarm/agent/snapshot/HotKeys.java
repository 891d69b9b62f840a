package dev.keywarm.agent.snapshot;

import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.StoredKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's own ranking of its hot keys, from the windows it flushes: each key's reads (hits +
 * misses), decayed with a half-life of {@link #HALF_LIFE_MILLIS}, so that what the application
 * reads now outranks what it read an hour ago — the keys a restart right now would miss. Bounded:
 * at most {@code 2 × keep} keys, pruned to the {@code keep} heaviest. Keeper thread only.
 */
final class HotKeys {

  static final long HALF_LIFE_MILLIS = 60_000;

  private final int keep;
  private final HashMap<Key, double[]> weights = new HashMap<>();
  private long decayedAt;
  private long events;
  private long version;

  HotKeys(int keep) {
    this.keep = keep;
  }

  /** Adds one window's reads, seen at {@code nowMillis}. */
  void observe(WindowSnapshot window, long nowMillis) {
    decay(nowMillis);
    byte[][] members = window.members();
    for (int i = 0; i < members.length; i++) {
      long reads = window.hits()[i] + window.misses()[i];
      events += reads + window.writes()[i];
      if (reads == 0) {
        continue;
      }
      // a hash field is never snapshotted (the runner loads fields through a FieldLoader): giving
      // its reads to its hash would DUMP whole hashes — a cache kept in one hash is the hottest key
      // there is, re-read after every field write, and DUMP of a large hash blocks Redis (0.52 s
      // for 500 000 fields of 100 B, measured by review with SLOWLOG)
      byte[] key = members[i];
      if (FieldMember.isField(key) || StoredKey.isTruncated(key) || KeySchema.isKeywarmKey(key)) {
        continue; // a truncated member is not the key: its value cannot be read back
      }
      weights.computeIfAbsent(new Key(key), k -> new double[1])[0] += reads;
    }
    if (weights.size() > 2 * keep) {
      prune();
    }
    version++;
  }

  /** Changes with every window observed: the ranking needs sorting again only then. */
  long version() {
    return version;
  }

  /** Reads and writes of the application seen since start (the auto rate follows them). */
  long events() {
    return events;
  }

  private void decay(long nowMillis) {
    if (decayedAt == 0) {
      decayedAt = nowMillis;
      return;
    }
    long elapsed = nowMillis - decayedAt;
    if (elapsed < 1_000) {
      return;
    }
    double factor = Math.pow(0.5, (double) elapsed / HALF_LIFE_MILLIS);
    for (double[] weight : weights.values()) {
      weight[0] *= factor;
    }
    decayedAt = nowMillis;
  }

  private void prune() {
    List<Map.Entry<Key, double[]>> ranked = ranked();
    for (int i = keep; i < ranked.size(); i++) {
      weights.remove(ranked.get(i).getKey());
    }
  }

  private List<Map.Entry<Key, double[]>> ranked() {
    List<Map.Entry<Key, double[]>> ranked = new ArrayList<>(weights.entrySet());
    ranked.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
    return ranked;
  }

  /** The {@code keep} hottest keys, hottest first, with their weights. */
  List<Ranked> top() {
    List<Map.Entry<Key, double[]>> ranked = ranked();
    List<Ranked> top = new ArrayList<>(Math.min(keep, ranked.size()));
    for (int i = 0; i < ranked.size() && i < keep; i++) {
      top.add(new Ranked(ranked.get(i).getKey(), ranked.get(i).getValue()[0]));
    }
    return top;
  }

  int size() {
    return weights.size();
  }

  record Ranked(Key key, double weight) {}

  /** A key's bytes with value equality. */
  static final class Key {
    final byte[] bytes;
    private final int hash;

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
