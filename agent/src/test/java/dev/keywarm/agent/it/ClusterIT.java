package dev.keywarm.agent.it;

import static dev.keywarm.schema.KeySchema.HourlySet.HITS;
import static dev.keywarm.schema.KeySchema.HourlySet.LOADS;
import static dev.keywarm.schema.KeySchema.HourlySet.MISSES;
import static dev.keywarm.schema.KeySchema.HourlySet.WRITES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis Cluster (and Sentinel) on both sides: a JedisCluster application is recorded like plain
 * Jedis (a redirected attempt is not counted twice), and the stats go to the node that owns the
 * app's hash tag even when the agent first reaches another node (it follows MOVED).
 */
class ClusterIT {

  private static RedisCluster cluster;

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void recordsJedisClusterAndFollowsMovedToTheStatsSlotOwner() throws Exception {
    RedisServer seed = cluster.nodes().get(0);
    String app = appOwnedByAnotherNode(seed);
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms",
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

    RedisServer owner = ownerOf(app);
    try (StatsReader stats = new StatsReader(owner.host(), owner.port(), app)) {
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
