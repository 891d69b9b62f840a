package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * On Redis Cluster, pipelined writes reach every node (grouped by node), still never clobbering.
 */
class ClusterWarmIT {

  private static final int KEYS = 3_000;

  @Test
  void warmsAcrossNodes() {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      RedisServer seed = cluster.nodes().get(0);
      try (JedisCluster jedis =
          new JedisCluster(Set.of(new HostAndPort(seed.host(), seed.port())))) {
        KeySchema schema = KeySchema.forApp("clusterapp");
        jedis.zadd(
            schema.planHour("g1", HourBucket.of(PlanFixture.NOW).hourOfDay()),
            PlanFixture.ranked("item:", KEYS));
        jedis.set(schema.currentPlan(), "g1");
        jedis.set("item:17", "app-value");
        jedis.set("item:2999", "app-value");

        WarmResult result =
            WarmRunner.builder()
                .planSnapshot(null)
                .app("clusterapp")
                .redis(cluster.seedUri())
                .clock(PlanFixture.CLOCK)
                .serviceLoaders(false)
                .jmx(false)
                .ratePerSecond(0)
                .loader("item:*", key -> LoadedValue.of(bytes("warm")), Duration.ofMinutes(10))
                .build()
                .run();

        assertEquals(WarmStatus.COMPLETED, result.status(), result.summary());
        assertEquals(KEYS - 2, result.progress().warmed());
        assertEquals(2, result.progress().skippedExisting());
        assertEquals("app-value", jedis.get("item:17"));
        assertEquals("warm", jedis.get("item:1234"));
        long total = 0;
        for (RedisServer node : cluster.nodes()) {
          long keys = (Long) node.command("DBSIZE");
          assertTrue(keys > KEYS / 6, "node " + node + " holds only " + keys + " keys");
          total += keys;
        }
        // the plan's keys (plan:current, the hour set, the result record) live on one node too
        assertTrue(total >= KEYS);
      }
    }
  }

  @Test
  void warmsHashFieldsOnTheNodeOfTheirHash() {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      RedisServer seed = cluster.nodes().get(0);
      try (JedisCluster jedis =
          new JedisCluster(Set.of(new HostAndPort(seed.host(), seed.port())))) {
        KeySchema schema = KeySchema.forApp("clusterapp");
        java.util.Map<byte[], Double> plan = new java.util.HashMap<>();
        for (int i = 0; i < 100; i++) {
          for (String f : java.util.List.of("a", "b", "c")) {
            plan.put(PlanFixture.field("user:" + i, f), 1.0);
          }
        }
        jedis.zadd(
            PlanFixture.bytes(schema.planHour("g1", HourBucket.of(PlanFixture.NOW).hourOfDay())),
            plan);
        jedis.set(schema.currentPlan(), "g1");
        for (int i = 0; i < 100; i++) { // the application's hashes, with a TTL: fields go into
          jedis.hset("user:" + i, "app", "x"); // them on every version (before 7.4 the warm
          jedis.pexpire("user:" + i, 600_000); // creates no hash)
        }
        jedis.hset("user:42", "b", "app-value");

        WarmResult result =
            WarmRunner.builder()
                .planSnapshot(null)
                .app("clusterapp")
                .redis(cluster.seedUri())
                .clock(PlanFixture.CLOCK)
                .serviceLoaders(false)
                .jmx(false)
                .ratePerSecond(0)
                .fieldLoader(
                    "user:*", (key, field) -> LoadedValue.of(bytes("warm")), Duration.ofMinutes(10))
                .build()
                .run();

        assertEquals(WarmStatus.COMPLETED, result.status(), result.summary());
        assertEquals(299, result.progress().warmed(), result.summary());
        assertEquals(1, result.progress().skippedExisting());
        assertEquals(0, result.progress().failed()); // a write sent to the wrong node would fail
        assertEquals("app-value", jedis.hget("user:42", "b"));
        assertEquals("warm", jedis.hget("user:42", "a"));
        assertEquals(4L, jedis.hlen("user:99"));
        for (RedisServer node : cluster.nodes()) {
          long keys = (Long) node.command("DBSIZE");
          assertTrue(keys > 100 / 6, "node " + node + " holds only " + keys + " hashes");
        }
      }
    }
  }
}
