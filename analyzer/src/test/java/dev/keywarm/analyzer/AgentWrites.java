package dev.keywarm.analyzer;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.Shard;
import dev.keywarm.schema.PairMember;
import dev.keywarm.schema.StatsShards;
import dev.keywarm.schema.ttl.TtlHistogram;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.UnifiedJedis;

/**
 * Writes hourly stats the way the agent does — pipelined ZINCRBY / HINCRBY on the keys {@link
 * KeySchema} names — so tests feed the analyzer exactly what it reads in production. Only for tests
 * that need a server ({@code *IT}); the others record into {@code RangeDataBuilder}.
 *
 * <p>{@link #sharded} writes schema version 2's layout, as the agent's flush does with {@code
 * shards=S}: each key's counts into its shard's sets ({@link StatsShards#of}), a pair into the
 * shard of its encoded member, the {@code trimmed_*} fields into the shard's meta ({@link
 * #shardMeta}), every other meta field into the hour's own, and {@code HINCRBY meta shards_S 1} for
 * every hour written. Through a {@code JedisCluster} every command goes to the node owning its key.
 * The plain constructor writes version 1 (one shard, no {@code shards_*} field).
 */
public final class AgentWrites implements HourlyWrites, AutoCloseable {

  private static final int SYNC_EVERY = 5_000;
  private final Supplier<PipelineBase> pipelines;
  private final AutoCloseable client;
  private final KeySchema schema;

  /** null: the version-1 layout (one shard, no field naming it). */
  private final StatsShards shards;

  private final Set<HourBucket> named = new HashSet<>();
  private PipelineBase pipeline;
  private int queued;

  public AgentWrites(String host, int port, String app) {
    this(new Jedis(host, port), app);
  }

  private AgentWrites(Jedis jedis, String app) {
    this(jedis::pipelined, jedis, app, 0);
    clearFixtureWindow();
  }

  private AgentWrites(
      Supplier<PipelineBase> pipelines, AutoCloseable client, String app, int shards) {
    this.pipelines = pipelines;
    this.client = client;
    this.schema = KeySchema.forApp(app);
    this.shards = shards == 0 ? null : schema.shards(shards);
  }

  /**
   * Writes with {@code shards} shards through {@code client} (a {@code JedisCluster} or {@code
   * JedisPooled}), closed with this; clears nothing ({@link #clearFixtureWindow}).
   */
  public static AgentWrites sharded(UnifiedJedis client, String app, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards: " + shards);
    }
    return new AgentWrites(client::pipelined, client, app, shards);
  }

  /** The version-1 layout (no {@code shards_*} field) through {@code client}; clears nothing. */
  public static AgentWrites versionOne(UnifiedJedis client, String app) {
    return new AgentWrites(client::pipelined, client, app, 0);
  }

  /**
   * Deletes the app's hourly keys around {@link Fixtures#START} (−1 to +16 days), in the one-shard
   * layout and this writer's: with REDIS_URL set, every test class shares one server that keeps
   * data between runs, and counts must start at zero.
   */
  public AgentWrites clearFixtureWindow() {
    PipelineBase p = pipelines.get();
    List<Integer> counts = shards == null ? List.of(1) : List.of(1, shards.count());
    for (long h = -24; h < 16 * 24; h++) {
      HourBucket hour = Fixtures.START.plusHours(h);
      p.del(schema.meta(hour));
      p.del(schema.ttlPatterns(hour));
      for (Shard shard : schema.readShards(hour, counts)) {
        for (String key : schema.hourlySets(hour, shard)) {
          p.del(key);
        }
        p.del(schema.meta(hour, shard));
        p.del(schema.pairs(hour, shard));
        p.del(schema.ttls(hour, shard));
      }
    }
    p.close(); // syncs, and gives a pooled or cluster client's connections back
    return this;
  }

  public KeySchema schema() {
    return schema;
  }

  /** The shard {@code member} is written to (the only one without shards). */
  public Shard shardOf(byte[] member) {
    return shards == null
        ? schema.shard(schema.shards(1), 0)
        : schema.shard(shards, shards.of(member));
  }

  private String set(HourBucket hour, HourlySet set, byte[] member) {
    return schema.hourly(hour, set, named(hour, member));
  }

  /** The member's shard, the hour's meta naming the shard count once per hour written. */
  private Shard named(HourBucket hour, byte[] member) {
    if (shards != null && named.add(hour)) {
      p().hincrBy(schema.meta(hour), KeySchema.shardsField(shards.count()), 1);
      afterQueue();
    }
    return shardOf(member);
  }

  @Override
  public AgentWrites hits(HourBucket hour, String key, double count) {
    return hits(hour, bytes(key), count);
  }

  @Override
  public AgentWrites misses(HourBucket hour, String key, double count) {
    return misses(hour, bytes(key), count);
  }

  @Override
  public AgentWrites hits(HourBucket hour, byte[] key, double count) {
    return zincr(set(hour, HourlySet.HITS, key), key, count);
  }

  @Override
  public AgentWrites misses(HourBucket hour, byte[] key, double count) {
    return zincr(set(hour, HourlySet.MISSES, key), key, count);
  }

  @Override
  public AgentWrites loads(HourBucket hour, String key, double loads, double microsEach) {
    byte[] member = bytes(key);
    zincr(set(hour, HourlySet.LOADS, member), member, loads);
    return zincr(set(hour, HourlySet.LOAD_MICROS, member), member, loads * microsEach);
  }

  @Override
  public AgentWrites pair(HourBucket hour, String first, String second, double count) {
    return rawPairMember(hour, PairMember.encode(bytes(first), bytes(second)), count);
  }

  @Override
  public AgentWrites rawPairMember(HourBucket hour, byte[] member, double count) {
    return zincr(schema.pairs(hour, named(hour, member)), member, count);
  }

  @Override
  public AgentWrites meta(HourBucket hour, KeySchema.MetaField field, long count) {
    p().hincrBy(bytes(schema.meta(hour)), bytes(field.field()), count);
    return afterQueue();
  }

  /**
   * {@code HINCRBY} of a field of one shard's meta ({@code trimmed_*}), as the trim script does.
   */
  public AgentWrites shardMeta(
      HourBucket hour, Shard shard, KeySchema.MetaField field, long count) {
    p().hincrBy(bytes(schema.meta(hour, shard)), bytes(field.field()), count);
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
    byte[] member = bytes(key);
    p().zadd(bytes(schema.ttls(hour, named(hour, member))), seconds, member);
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
      pipeline.close(); // syncs, and gives a pooled or cluster client's connections back
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

  private PipelineBase p() {
    if (pipeline == null) {
      pipeline = pipelines.get();
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
    try {
      client.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
