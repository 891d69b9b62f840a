package dev.keywarm.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keywarm.analyzer.read.ShardedStatsIT;
import dev.keywarm.schema.HashSlot;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.resps.Tuple;

/**
 * {@code keywarm analyze} over hours spread over 24 shards on a real 3-master cluster (plus a
 * version-1 hour and a mixed one, {@link ShardedStatsIT}), seeded from a node that is not the
 * app's: the report's totals and the plan's scores and TTLs are exactly what was written.
 */
class ShardedAnalyzeIT {

  @Test
  void thePlanOfAShardedRangeHoldsEveryKeysExactReads() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      RedisServer first = cluster.nodes().get(0);
      HostAndPort node = new HostAndPort(first.host(), first.port());
      ShardedStatsIT.write(() -> new JedisCluster(Set.of(node)), false);
      KeySchema schema = KeySchema.forApp(ShardedStatsIT.APP);
      // node i owns the i-th third of the slots: seed from one that does not own the app's tag
      int home = HashSlot.of(schema.currentPlan()) * 3 / HashSlot.SLOTS;
      String seed = cluster.nodes().get((home + 1) % 3).uri();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      var cl = AnalyzeCommand.commandLine();
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(err));
      int code =
          cl.execute(
              "--redis",
              seed,
              "--app",
              ShardedStatsIT.APP,
              "--days",
              "1",
              "--to",
              ShardedStatsIT.RANGE.to().format(),
              "--k",
              "5000",
              "--format",
              "json");
      assertEquals(0, code, err.toString());

      JsonNode totals = new ObjectMapper().readTree(out.toString()).get("totals");
      double reads = 0;
      for (int k = 0; k < ShardedStatsIT.KEYS; k++) {
        reads += ShardedStatsIT.reads(k);
      }
      assertEquals(reads, totals.get("reads").asDouble());
      assertEquals(ShardedStatsIT.KEYS, totals.get("distinctKeys").asInt());
      JsonNode meta = totals.get("meta");
      assertEquals(27, meta.get(MetaField.TRIMMED_HITS.field()).asLong(), meta.toString());
      assertFalse(meta.has(KeySchema.shardsField(24)), meta.toString());
      assertFalse(meta.has(KeySchema.shardsField(1)), meta.toString());

      try (JedisCluster jedis = new JedisCluster(Set.of(node))) {
        String generation = jedis.get(schema.currentPlan());
        List<Tuple> overall = jedis.zrangeWithScores(schema.planOverall(generation), 0, -1);
        assertEquals(ShardedStatsIT.KEYS, overall.size());
        Map<String, Double> ttls = new HashMap<>();
        for (Tuple t : jedis.zrangeWithScores(schema.planTtls(generation), 0, -1)) {
          ttls.put(t.getElement(), t.getScore());
        }
        for (Tuple t : overall) {
          int k = Integer.parseInt(t.getElement().substring("item:".length()));
          assertEquals(ShardedStatsIT.reads(k), t.getScore(), t.getElement());
          assertEquals(
              ShardedStatsIT.ttlSeconds(k) * 1000, ttls.get(t.getElement()), t.getElement());
        }
      }
    }
  }
}
