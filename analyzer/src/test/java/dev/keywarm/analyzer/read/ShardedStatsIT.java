package dev.keywarm.analyzer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.AgentWrites;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.schema.KeySchema.Shard;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Schema version 2 read back exactly, on a real 3-master cluster and on one standalone server:
 * hours 0-3 written with 24 shards, hour 4 by a version-1 agent (one shard, no {@code shards_*}
 * field), hour 5 by a fleet that changed {@code shards} within the hour (some counts with 1 shard
 * and {@code shards_1}, the rest with 24). Every key's counts, every pair, every observed TTL and
 * the summed metas must be what was written.
 */
public class ShardedStatsIT {

  public static final String APP = "sharded";
  public static final int SHARDS = 24;
  public static final int KEYS = 3_000;
  public static final int HOURS = 6;
  public static final HourBucket H0 = Fixtures.START;
  public static final HourRange RANGE = new HourRange(H0, H0.plusHours(HOURS));
  static final HourBucket LONG_AFTER = H0.plusHours(1_000);

  static RedisCluster cluster;
  static RedisServer standalone;

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start(3);
    standalone = RedisServer.start();
    RedisServer seed = cluster.nodes().get(0);
    write(() -> new JedisCluster(Set.of(new HostAndPort(seed.host(), seed.port()))), false);
    write(() -> new JedisPooled(standalone.host(), standalone.port()), true);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    standalone.close();
  }

  public static double hits(int k, int h) {
    return (k % 7 + 1) * (h + 1);
  }

  public static double misses(int k, int h) {
    return k % 3;
  }

  public static double loads(int k, int h) {
    return k % 5 == 0 ? 2 : 0;
  }

  public static double loadMicrosEach(int k) {
    return 100 + k;
  }

  /** Newest hour with a TTL: hour 4 (version 1) for even keys, hour 3 (24 shards) for odd ones. */
  public static double ttlSeconds(int k) {
    return k % 2 == 0 ? 4 * 60 + k : 3 * 60 + k;
  }

  public static double reads(int k) {
    double sum = 0;
    for (int h = 0; h < HOURS; h++) {
      sum += hits(k, h) + misses(k, h);
    }
    return sum;
  }

  public static String key(int k) {
    return "item:" + k;
  }

  /** Writes the range as the agents would, through fresh clients of {@code client}. */
  public static void write(Supplier<UnifiedJedis> client, boolean clear) {
    try (AgentWrites w24 = AgentWrites.sharded(client.get(), APP, SHARDS)) {
      if (clear) {
        w24.clearFixtureWindow();
      }
      for (int h = 0; h < HOURS; h++) {
        if (h == 4) {
          continue;
        }
        HourBucket hour = H0.plusHours(h);
        for (int k = 0; k < KEYS; k++) {
          // hour 5: hits and misses with 24 shards, the loads with 1 (below)
          w24.hits(hour, key(k), hits(k, h)).misses(hour, key(k), misses(k, h));
          if (h < 5) {
            w24.loads(hour, key(k), loads(k, h), loadMicrosEach(k));
          }
          if (h < 4 && (h == 3 || k % 2 == 1)) {
            w24.ttl(hour, key(k), k % 2 == 1 && h == 3 ? ttlSeconds(k) : 1);
          }
        }
        for (int k = 1; k <= 20; k++) {
          w24.pair(hour, key(0), key(k), 10 + k);
        }
        w24.meta(hour, MetaField.FLUSHES, 1).meta(hour, MetaField.DROPPED_HITS, 2);
        Shard trimmed = w24.schema().shard(w24.schema().shards(SHARDS), h % SHARDS);
        w24.shardMeta(hour, trimmed, MetaField.TRIMMED_HITS, 3);
      }
    }
    try (AgentWrites v1 = AgentWrites.versionOne(client.get(), APP)) {
      HourBucket hour = H0.plusHours(4);
      for (int k = 0; k < KEYS; k++) {
        v1.hits(hour, key(k), hits(k, 4)).misses(hour, key(k), misses(k, 4));
        v1.loads(hour, key(k), loads(k, 4), loadMicrosEach(k));
        if (k % 2 == 0) {
          v1.ttl(hour, key(k), ttlSeconds(k));
        }
      }
      for (int k = 1; k <= 20; k++) {
        v1.pair(hour, key(0), key(k), 10 + k);
      }
      v1.meta(hour, MetaField.FLUSHES, 1).meta(hour, MetaField.DROPPED_HITS, 2);
      v1.meta(hour, MetaField.TRIMMED_HITS, 5); // one shard: the hour's own meta
    }
    try (AgentWrites w1 = AgentWrites.sharded(client.get(), APP, 1)) {
      HourBucket hour = H0.plusHours(5);
      for (int k = 0; k < KEYS; k++) {
        w1.loads(hour, key(k), loads(k, 5), loadMicrosEach(k));
      }
      w1.meta(hour, MetaField.TRIMMED_HITS, 7);
    }
  }

  static StatsNodes clusterNodes() throws Exception {
    RedisServer seed = cluster.nodes().get(1);
    return StatsNodes.connect(
        RedisEndpoint.parse(seed.uri()), 5_000, e -> new Jedis(e.host(), e.port()));
  }

  @Test
  void theShardsOfAnHourSpreadOverEveryMaster() throws Exception {
    KeySchema schema = KeySchema.forApp(APP);
    try (StatsNodes nodes = clusterNodes()) {
      assertEquals(3, nodes.size());
      int[] setsPerNode = new int[3];
      for (Shard shard : schema.shards(SHARDS).all(schema)) {
        int node = nodes.nodeOf(shard.slot());
        if (nodes.node(node).zcard(schema.hourly(H0, KeySchema.HourlySet.HITS, shard)) > 0) {
          setsPerNode[node]++;
        }
      }
      assertEquals(List.of(8, 8, 8), List.of(setsPerNode[0], setsPerNode[1], setsPerNode[2]));
    }
  }

  @Test
  void everyCountOnAClusterIsWhatWasWritten() throws Exception {
    try (StatsNodes nodes = clusterNodes()) {
      assertExact(new HourlyStatsReader(nodes, KeySchema.forApp(APP)).read(RANGE, 0, LONG_AFTER));
      assertTtls(new HourlyTtlReader(nodes, KeySchema.forApp(APP)));
    }
  }

  @Test
  void theHourBeingWrittenIsScannedInEveryShard() throws Exception {
    try (StatsNodes nodes = clusterNodes()) {
      RangeData d =
          new HourlyStatsReader(nodes, KeySchema.forApp(APP)).read(RANGE, 0, H0.plusHours(5));
      assertEquals(List.of(H0.plusHours(5)), d.partialHours());
      assertExact(d);
      assertEquals(
          KEYS, new HourlyStatsReader(nodes, KeySchema.forApp(APP)).keysReadIn(H0.plusHours(5)));
    }
  }

  @Test
  void twentyFourShardsOnOneServerReadTheSame() {
    assertExact(Fixtures.read(standalone, APP, RANGE, 0));
    try (Jedis jedis = new Jedis(standalone.host(), standalone.port())) {
      assertTtls(new HourlyTtlReader(jedis, KeySchema.forApp(APP)));
    }
  }

  static void assertExact(RangeData d) {
    assertEquals(HOURS, d.presentHours().size(), d.presentHours().toString());
    KeyTable t = d.keys();
    assertEquals(KEYS, t.size());
    for (int k = 0; k < KEYS; k++) {
      int id = t.find(AgentWrites.bytes(key(k)));
      double hits = 0;
      double misses = 0;
      for (int h = 0; h < HOURS; h++) {
        hits += hits(k, h);
        misses += misses(k, h);
        assertEquals(
            hits(k, h) + misses(k, h), t.hourOfDay(H0.plusHours(h).hourOfDay())[id], key(k));
      }
      assertEquals(hits, t.hits(id), key(k));
      assertEquals(misses, t.misses(id), key(k));
      assertEquals(HOURS * loads(k, 0), t.loads(id), key(k));
      assertEquals(HOURS * loads(k, 0) * loadMicrosEach(k), t.loadMicros(id), key(k));
    }
    int first = t.find(AgentWrites.bytes(key(0)));
    for (int k = 1; k <= 20; k++) {
      assertEquals(HOURS * (10 + k), d.pairs().count(first, t.find(AgentWrites.bytes(key(k)))));
    }
    assertEquals(20, d.pairs().size());
    assertEquals(6L, d.meta().get(MetaField.FLUSHES.field()));
    assertEquals(12L, d.meta().get(MetaField.DROPPED_HITS.field()));
    assertEquals(5 * 3 + 5 + 7L, d.meta().get(MetaField.TRIMMED_HITS.field()));
    assertFalse(d.meta().keySet().stream().anyMatch(KeySchema::isLayoutField), d.meta().toString());
  }

  static void assertTtls(HourlyTtlReader reader) {
    List<byte[]> keys = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      keys.add(AgentWrites.bytes(key(k)));
    }
    keys.add(AgentWrites.bytes("never:written"));
    double[] millis = reader.millis(RANGE, keys);
    for (int k = 0; k < KEYS; k++) {
      assertEquals(ttlSeconds(k) * 1000, millis[k], key(k));
    }
    assertTrue(Double.isNaN(millis[KEYS]));
  }
}
