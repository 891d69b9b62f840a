package dev.keywarm.runner.loading;

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
 */
public final class RedisCopyLoader implements KeyLoader, AutoCloseable {

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
  public void close() {
    source.close();
  }

  @Override
  public String toString() {
    return "copy from " + source;
  }
}
