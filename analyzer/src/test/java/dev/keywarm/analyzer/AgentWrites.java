package dev.keywarm.analyzer;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.PairMember;
import dev.keywarm.schema.ttl.TtlHistogram;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Writes hourly stats the way the agent does — pipelined ZINCRBY / HINCRBY on the keys {@link
 * KeySchema} names — so tests feed the analyzer exactly what it reads in production. Only for tests
 * that need a server ({@code *IT}); the others record into {@code RangeDataBuilder}.
 */
public final class AgentWrites implements HourlyWrites, AutoCloseable {

  private static final int SYNC_EVERY = 5_000;
  private final Jedis jedis;
  private final KeySchema schema;
  private Pipeline pipeline;
  private int queued;

  public AgentWrites(String host, int port, String app) {
    this.jedis = new Jedis(host, port);
    this.schema = KeySchema.forApp(app);
    clearFixtureWindow();
  }

  /**
   * Deletes the app's hourly keys around {@link Fixtures#START} (−1 to +16 days): with REDIS_URL
   * set, every test class shares one server that keeps data between runs, and counts must start at
   * zero.
   */
  private void clearFixtureWindow() {
    Pipeline p = jedis.pipelined();
    for (long h = -24; h < 16 * 24; h++) {
      HourBucket hour = Fixtures.START.plusHours(h);
      for (String key : schema.hourlySets(hour)) {
        p.del(key);
      }
      p.del(schema.meta(hour));
      p.del(schema.pairs(hour));
      p.del(schema.ttls(hour));
      p.del(schema.ttlPatterns(hour));
    }
    p.sync();
  }

  public KeySchema schema() {
    return schema;
  }

  @Override
  public AgentWrites hits(HourBucket hour, String key, double count) {
    return zincr(schema.hourly(hour, HourlySet.HITS), bytes(key), count);
  }

  @Override
  public AgentWrites misses(HourBucket hour, String key, double count) {
    return zincr(schema.hourly(hour, HourlySet.MISSES), bytes(key), count);
  }

  @Override
  public AgentWrites hits(HourBucket hour, byte[] key, double count) {
    return zincr(schema.hourly(hour, HourlySet.HITS), key, count);
  }

  @Override
  public AgentWrites misses(HourBucket hour, byte[] key, double count) {
    return zincr(schema.hourly(hour, HourlySet.MISSES), key, count);
  }

  @Override
  public AgentWrites loads(HourBucket hour, String key, double loads, double microsEach) {
    zincr(schema.hourly(hour, HourlySet.LOADS), bytes(key), loads);
    return zincr(schema.hourly(hour, HourlySet.LOAD_MICROS), bytes(key), loads * microsEach);
  }

  @Override
  public AgentWrites pair(HourBucket hour, String first, String second, double count) {
    return zincr(schema.pairs(hour), PairMember.encode(bytes(first), bytes(second)), count);
  }

  @Override
  public AgentWrites rawPairMember(HourBucket hour, byte[] member, double count) {
    return zincr(schema.pairs(hour), member, count);
  }

  @Override
  public AgentWrites meta(HourBucket hour, KeySchema.MetaField field, long count) {
    p().hincrBy(bytes(schema.meta(hour)), bytes(field.field()), count);
    return afterQueue();
  }

  @Override
  public AgentWrites hset(HourBucket hour, String... fieldsAndValues) {
    if (fieldsAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("fields and values come in pairs");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < fieldsAndValues.length; i += 2) {
      fields.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
    }
    p().hset(schema.meta(hour), fields);
    return afterQueue();
  }

  @Override
  public AgentWrites ttl(HourBucket hour, String key, double seconds) {
    p().zadd(bytes(schema.ttls(hour)), seconds, bytes(key));
    return afterQueue();
  }

  @Override
  public AgentWrites ttlWrites(HourBucket hour, String pattern, long bucketMillis, long writes) {
    if (writes > 0) {
      p().hincrBy(schema.ttlPatterns(hour), TtlHistogram.field(pattern, bucketMillis), writes);
      afterQueue();
    }
    return this;
  }

  public void flush() {
    if (pipeline != null) {
      pipeline.sync();
      pipeline = null;
      queued = 0;
    }
  }

  private AgentWrites zincr(String key, byte[] member, double count) {
    if (count > 0) {
      p().zincrby(bytes(key), count, member);
      afterQueue();
    }
    return this;
  }

  private Pipeline p() {
    if (pipeline == null) {
      pipeline = jedis.pipelined();
    }
    return pipeline;
  }

  private AgentWrites afterQueue() {
    if (++queued >= SYNC_EVERY) {
      flush();
    }
    return this;
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    flush();
    jedis.close();
  }
}
