package dev.keywarm.agent.it;

import static dev.keywarm.schema.KeySchema.HourlySet.HITS;
import static dev.keywarm.schema.KeySchema.HourlySet.LOADS;
import static dev.keywarm.schema.KeySchema.HourlySet.MISSES;
import static dev.keywarm.schema.KeySchema.HourlySet.WRITES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.HashSlot;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis Cluster (and Sentinel) on both sides: a JedisCluster application is recorded like plain
 * Jedis (a redirected attempt is not counted twice), and the stats are spread over the cluster's
 * masters ({@code shards=auto}: 24 shards, 8 on each of 3) with every count exact, whichever node
 * the agent first reaches; with {@code shards=1} they go to the node that owns the app's hash tag
 * (the agent follows MOVED).
 */
class ClusterIT {

  private static RedisCluster cluster;

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start(3);
  }

  @BeforeEach
  void emptyCache() {
    cluster.nodes().forEach(RedisServer::flushAll); // each test's misses are its own
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void spreadsTheStatsOverEveryMasterWithExactCounts() throws Exception {
    RedisServer seed = cluster.nodes().get(0);
    String app = "it-sharded";
    int keys = 600;
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms",
            ClientLibraries.jedis(),
            ClusterScenario.class,
            seed.host(),
            Integer.toString(seed.port()),
            Integer.toString(keys));
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(
        run.stderr().contains("stats spread over 24 shards on 3 cluster masters"), run.stderr());

    try (StatsReader stats = new StatsReader(cluster, app)) {
      for (int i = 1; i <= keys; i++) {
        String key = "c:" + i;
        assertEquals(3, stats.score(HITS, key), key + " hits\n" + run.stderr());
        assertEquals(2, stats.score(MISSES, key), key + " misses");
        assertEquals(1, stats.score(WRITES, key), key + " writes");
        assertEquals(1, stats.score(LOADS, key), key + " loads");
      }
      // the hour names its shard count, so readers find every shard
      assertTrue(stats.meta().containsKey(KeySchema.shardsField(24)), stats.meta().toString());
    }
    KeySchema schema = KeySchema.forApp(app);
    for (RedisServer node : cluster.nodes()) {
      long members = 0;
      int shards = 0;
      for (String key : keysOf(node, "kw:{" + app + "~*}:h:*:hits")) {
        shards++;
        members += (Long) node.command("ZCARD", key);
        long slot = (Long) node.command("CLUSTER", "KEYSLOT", key);
        assertEquals(slot, HashSlot.of(key), key);
        assertTrue((Long) node.command("TTL", key) > 0, key + " has no expiry");
      }
      // 8 of the 24 shards on each master; the keys by hash, within ±25 % of a third of 600
      assertEquals(8, shards, node + " shards");
      assertTrue(members > 150 && members < 250, node + " holds " + members + " of " + keys);
    }
    assertEquals(24, schema.shards(24).count());
  }

  @SuppressWarnings("unchecked")
  private static List<String> keysOf(RedisServer node, String pattern) {
    List<String> keys = new ArrayList<>();
    for (Object key : (List<Object>) node.command("KEYS", pattern)) {
      keys.add(key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) key);
    }
    return keys;
  }

  @Test
  void oneShardFollowsMovedToTheStatsSlotOwner() throws Exception {
    RedisServer seed = cluster.nodes().get(0);
    String app = appOwnedByAnotherNode(seed);
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms,shards=1",
            ClientLibraries.jedis(),
            ClusterScenario.class,
            seed.host(),
            Integer.toString(seed.port()));
    assertEquals(0, run.exitCode(), run.stderr());

    RedisServer owner = ownerOf(app);
    try (StatsReader stats = new StatsReader(owner.host(), owner.port(), app)) {
      for (int i = 1; i <= 5; i++) {
        String key = "c:" + i;
        assertEquals(3, stats.score(HITS, key), key + " hits\n" + run.stderr());
        assertEquals(2, stats.score(MISSES, key), key + " misses");
        assertEquals(1, stats.score(WRITES, key), key + " writes");
        assertEquals(1, stats.score(LOADS, key), key + " loads");
      }
    }
  }

  @Test
  void recordsLettuceClusterOncePerUserCall() throws Exception {
    RedisServer seed = cluster.nodes().get(0);
    String app = appOwnedByAnotherNode(seed);
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms",
            ClientLibraries.lettuce(),
            LettuceClusterScenario.class,
            cluster.seedUri());
    assertEquals(0, run.exitCode(), run.stderr());

    try (StatsReader stats = new StatsReader(cluster, app)) {
      for (int i = 1; i <= 5; i++) {
        String key = "lc:" + i;
        assertEquals(3, stats.score(HITS, key), key + " hits\n" + run.stderr());
        assertEquals(2, stats.score(MISSES, key), key + " misses");
        assertEquals(1, stats.score(WRITES, key), key + " writes");
      }
    }
  }

  @Test
  void recordsJedisSentinelPoolResources() throws Exception {
    try (RedisServer master = RedisServer.start("--appendonly", "no");
        RedisServer sentinel = RedisServer.startSentinel("cache", master)) {
      ChildJvm.Result run =
          ChildJvm.run(
              "app=it-sentinel,flush=300ms,redis=" + master.uri(),
              ClientLibraries.jedis(),
              SentinelScenario.class,
              Integer.toString(sentinel.port()),
              "sentinel:key");
      assertEquals(0, run.exitCode(), run.stderr());
      try (StatsReader stats = new StatsReader(master.host(), master.port(), "it-sentinel")) {
        assertEquals(3, stats.score(HITS, "sentinel:key"), run.stderr());
        assertEquals(2, stats.score(MISSES, "sentinel:key"));
        assertEquals(1, stats.score(WRITES, "sentinel:key"));
      }
    }
  }

  /** An app name whose hash tag lives on a node other than the seed, so MOVED must be followed. */
  private static String appOwnedByAnotherNode(RedisServer seed) {
    for (int i = 0; ; i++) {
      String app = "it-cluster-" + i;
      if (ownerOf(app) != seed) {
        return app;
      }
    }
  }

  private static RedisServer ownerOf(String app) {
    long slot = (Long) cluster.nodes().get(0).command("CLUSTER", "KEYSLOT", "{" + app + "}");
    int perNode = 16384 / cluster.nodes().size();
    int index = (int) Math.min(cluster.nodes().size() - 1, slot / perNode);
    return cluster.nodes().get(index);
  }
}
