package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.plan.ObservedTtls;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.StatsShards;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;

/**
 * The runner's readers of hourly data over schema version 2 on a real 3-master cluster (the stats
 * and the cache one cluster): hours written with 24 shards, by a version-1 agent, and by both shard
 * counts at once. Through a {@code JedisCluster} every command is one slot's: a CROSSSLOT error
 * would fail the warm or the lookup.
 */
class ShardedStatsWarmIT {

  private static final String APP = "shardapp";
  private static final int KEYS = 200;

  /** As the agent writes: the key's shard's set, and the hour's meta naming the shard count. */
  static void zincr(
      UnifiedJedis stats,
      KeySchema schema,
      HourBucket hour,
      HourlySet set,
      int shards,
      String key,
      double n) {
    byte[] member = bytes(key);
    if (shards == 0) { // version 1: one shard, nothing named
      stats.zincrby(bytes(schema.hourly(hour, set)), n, member);
      return;
    }
    StatsShards layout = schema.shards(shards);
    stats.zincrby(
        bytes(schema.hourly(hour, set, schema.shard(layout, layout.of(member)))), n, member);
    stats.hincrBy(schema.meta(hour), KeySchema.shardsField(shards), 1);
  }

  static void ttl(
      UnifiedJedis stats, KeySchema schema, HourBucket hour, int shards, String key, double s) {
    byte[] member = bytes(key);
    StatsShards layout = schema.shards(Math.max(1, shards));
    stats.zadd(bytes(schema.ttls(hour, schema.shard(layout, layout.of(member)))), s, member);
    if (shards > 0) {
      stats.hincrBy(schema.meta(hour), KeySchema.shardsField(shards), 1);
    }
  }

  /** Reads of key i: this hour with 24 shards, a day ago version 1, two days ago both counts. */
  static double reads(int i) {
    return 3 * i + 1 + (i % 4) + 2 * i;
  }

  @Test
  void theFallbackRankingAndTheObservedTtlsReadEveryShard() {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      RedisServer seed = cluster.nodes().get(0);
      try (JedisCluster stats =
          new JedisCluster(Set.of(new HostAndPort(seed.host(), seed.port())))) {
        KeySchema schema = KeySchema.forApp(APP);
        HourBucket now = HourBucket.of(PlanFixture.NOW);
        for (int i = 0; i < KEYS; i++) {
          String key = "k:" + i;
          zincr(stats, schema, now, HourlySet.HITS, 24, key, 3 * i + 1);
          zincr(stats, schema, now.plusHours(-24), HourlySet.MISSES, 0, key, i % 4);
          zincr(stats, schema, now.plusHours(-48), HourlySet.HITS, 1, key, i);
          zincr(stats, schema, now.plusHours(-48), HourlySet.MISSES, 24, key, i);
          zincr(stats, schema, now, HourlySet.WRITES, 24, key, 1_000); // writes are no reads
          if (i % 2 == 0) {
            ttl(stats, schema, now.plusHours(-1), 24, key, 100 + i); // the newest hour with it
            ttl(stats, schema, now.plusHours(-2), 0, key, 1);
          } else {
            ttl(stats, schema, now.plusHours(-2), 0, key, 200 + i);
          }
        }
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        WarmResult result =
            WarmRunner.builder()
                .planSnapshot(null)
                .app(APP)
                .redis(cluster.seedUri())
                .clock(PlanFixture.CLOCK)
                .concurrency(1)
                .ratePerSecond(0)
                .serviceLoaders(false)
                .jmx(false)
                .historyDays(7)
                .loader(
                    "k:*",
                    key -> {
                      calls.add(new String(key, StandardCharsets.UTF_8));
                      return LoadedValue.of(bytes("warm"));
                    })
                .defaultTtl(Duration.ofHours(1))
                .build()
                .run();

        assertEquals(WarmStatus.COMPLETED, result.status(), result.summary());
        assertTrue(result.planSource().contains("no plan"), result.planSource());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
          expected.add("k:" + i);
        }
        expected.sort(
            Comparator.comparingDouble((String k) -> -reads(Integer.parseInt(k.substring(2)))));
        assertEquals(expected, calls, "ranked by the reads summed over every shard");
        assertEquals(KEYS, result.progress().warmed());

        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
          keys.add(bytes("k:" + i));
        }
        keys.add(bytes("never:written"));
        ObservedTtls ttls = ObservedTtls.lookUp(stats, schema, keys, PlanFixture.NOW, 3);
        for (int i = 0; i < KEYS; i++) {
          long seconds = i % 2 == 0 ? 100 + i : 200 + i;
          assertEquals(seconds * 1000, ttls.of(bytes("k:" + i)), "k:" + i);
        }
        assertNull(ttls.of(bytes("never:written")));
        // and the warm gave each key the TTL the application gave it, jittered below it
        long ttl = stats.ttl("k:0");
        assertTrue(ttl > 0 && ttl <= 100, "k:0: " + ttl);
      }
    }
  }
}
