package dev.keywarm.runner.loading;

import dev.keywarm.loader.FieldLoader;
import dev.keywarm.loader.HashField;
import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.target.RedisTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Copies keys from a source Redis (migrations, blue/green cut-overs): {@code DUMP} and {@code PTTL}
 * per key, pipelined in batches of {@code batchSize}; the runner writes each with {@code RESTORE
 * key <remaining ttl> payload} without {@code REPLACE}, so a key that already exists in the target
 * (or appears while copying) is kept. A source key without expiry is copied without expiry; one
 * that is gone (or expires between the two commands) is missing. Any type is copied (DUMP is
 * type-agnostic); the target must run the same or a newer Redis major version (the RDB payload is
 * versioned).
 *
 * <p>Hash fields too ({@link FieldLoader}, registered for the same pattern): {@code HGET key field}
 * and the remaining TTL that bounds it — the field's own ({@code HPTTL}, where the source has
 * per-field TTLs, Redis 7.4+) or else the hash's ({@code PTTL}) — pipelined likewise; the runner
 * writes the value with {@code HSETNX}. A field whose source has no TTL at all gets the TTL a warm
 * chooses (observed, pattern's, default): a field value cannot say "none".
 */
public final class RedisCopyLoader implements KeyLoader, FieldLoader, AutoCloseable {

  private final RedisTarget source;
  private final int batchSize;

  public RedisCopyLoader(RedisTarget source, int batchSize) {
    this.source = source;
    this.batchSize = batchSize;
  }

  public static RedisCopyLoader connect(String uri, Duration timeout, Duration giveUpAfter) {
    return new RedisCopyLoader(RedisTarget.connect(uri, timeout, giveUpAfter), 100);
  }

  @Override
  public LoadedValue load(byte[] key) {
    return loadAll(List.of(key)).get(0);
  }

  @Override
  public List<LoadedValue> loadAll(List<byte[]> keys) {
    List<Response<byte[]>> dumps = new ArrayList<>(keys.size());
    List<Response<Long>> ttls = new ArrayList<>(keys.size());
    try (AbstractPipeline pipeline = source.client().pipelined()) {
      for (byte[] key : keys) {
        dumps.add(pipeline.dump(key));
        ttls.add(pipeline.pttl(key));
      }
      pipeline.sync();
    }
    List<LoadedValue> values = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      byte[] payload = dumps.get(i).get();
      long pttl = ttls.get(i).get();
      if (payload == null || pttl == -2 || pttl == 0) {
        values.add(null);
      } else {
        values.add(LoadedValue.dump(payload, pttl > 0 ? Duration.ofMillis(pttl) : null));
      }
    }
    return values;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public LoadedValue loadField(byte[] key, byte[] field) {
    return loadFields(List.of(new HashField(key, field))).get(0);
  }

  @Override
  public List<LoadedValue> loadFields(List<HashField> fields) {
    boolean fieldTtl = source.supportsFieldTtl();
    List<Response<byte[]>> values = new ArrayList<>(fields.size());
    List<Response<Long>> keyTtls = new ArrayList<>(fields.size());
    List<Response<List<Long>>> fieldTtls = new ArrayList<>(fields.size());
    try (AbstractPipeline pipeline = source.client().pipelined()) {
      for (HashField f : fields) {
        values.add(pipeline.hget(f.key(), f.field()));
        keyTtls.add(pipeline.pttl(f.key()));
        if (fieldTtl) {
          fieldTtls.add(pipeline.hpttl(f.key(), f.field()));
        }
      }
      pipeline.sync();
    }
    List<LoadedValue> out = new ArrayList<>(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      byte[] value;
      try {
        value = values.get(i).get();
      } catch (redis.clients.jedis.exceptions.JedisDataException e) {
        out.add(null); // WRONGTYPE: no hash at the source, so no field: missing, not the batch
        continue;
      }
      long own = fieldTtl ? firstOr(fieldTtls.get(i).get(), -1) : -1;
      long ttl = own > 0 ? own : keyTtls.get(i).get();
      if (value == null) {
        out.add(null);
      } else {
        out.add(ttl > 0 ? LoadedValue.of(value, Duration.ofMillis(ttl)) : LoadedValue.of(value));
      }
    }
    return out;
  }

  @Override
  public int fieldBatchSize() {
    return batchSize;
  }

  private static long firstOr(List<Long> replies, long orElse) {
    return replies == null || replies.isEmpty() || replies.get(0) == null ? orElse : replies.get(0);
  }

  @Override
  public void close() {
    source.close();
  }

  @Override
  public String toString() {
    return "copy from " + source;
  }
}
