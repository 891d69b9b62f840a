package dev.keywarm.runner;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.snapshot.SnapshotEntry;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.UnifiedJedis;

/**
 * Writes a hot-set snapshot into a stats Redis the way the agent's keeper does: the time, then
 * {@code DUMP} + {@code PTTL} of a real key in the cache Redis, stored as a {@link SnapshotEntry}
 * under {@link KeySchema#snapshotValues()} with its rank in {@link KeySchema#snapshotRank()}.
 */
final class SnapshotFixture {

  final UnifiedJedis stats;
  final KeySchema schema;

  SnapshotFixture(UnifiedJedis stats, String app) {
    this.stats = stats;
    this.schema = KeySchema.forApp(app);
  }

  /** Reads {@code key} from {@code cache} into the snapshot with {@code rank}; its read time. */
  long take(UnifiedJedis cache, byte[] key, double rank) {
    long readAt = System.currentTimeMillis(); // before the DUMP, as the keeper stamps it
    byte[] payload = cache.dump(key);
    long pttl = cache.pttl(key);
    if (payload == null) {
      throw new IllegalStateException("no such key in the cache: " + string(key));
    }
    put(key, new SnapshotEntry(readAt, SnapshotEntry.expiryOf(readAt, pttl), payload).encode());
    rank(key, rank);
    return readAt;
  }

  void put(byte[] key, byte[] encodedEntry) {
    stats.hset(bytes(schema.snapshotValues()), key, encodedEntry);
  }

  void rank(byte[] key, double rank) {
    stats.zadd(bytes(schema.snapshotRank()), rank, key);
  }

  /** An agent saw a write, delete or expiry change of {@code key} at {@code atMillis}. */
  void invalidate(byte[] key, long atMillis) {
    stats.zadd(bytes(schema.snapshotInvalidations()), atMillis, key);
  }

  void invalidBefore(long atMillis) {
    stats.hset(
        schema.snapshotMeta(),
        KeySchema.SnapshotField.INVALID_BEFORE.field(),
        Long.toString(atMillis));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
