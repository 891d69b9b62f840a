package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.PairMember;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** Keys read together by one thread land in the hourly pairs set, in the order they were read. */
class CoAccessPairsIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void recordsOrderedPairsWithinTheWindow() throws Exception {
    String app = "it-pairs";
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms,pairtime=60ms",
            ClientLibraries.jedis(),
            PairsScenario.class,
            REDIS.server().host(),
            Integer.toString(REDIS.server().port()));
    assertEquals(0, run.exitCode(), run.stderr());

    KeySchema schema = KeySchema.forApp(app);
    HourBucket now = HourBucket.ofEpochMillis(System.currentTimeMillis());
    byte[] ab = PairMember.encode(bytes("p:a"), bytes("p:b"));
    byte[] ba = PairMember.encode(bytes("p:b"), bytes("p:a"));
    long abCount = 0;
    long baCount = 0;
    try (Jedis jedis = new Jedis(REDIS.server().host(), REDIS.server().port())) {
      for (HourBucket hour : new HourBucket[] {now.plusHours(-1), now}) {
        byte[] key = bytes(schema.pairs(hour));
        abCount += score(jedis.zscore(key, ab));
        baCount += score(jedis.zscore(key, ba));
      }
    }
    assertEquals(20, abCount, run.stderr());
    assertTrue(baCount <= 1, "reads 120 ms apart paired across the 60 ms window: " + baCount);
  }

  /**
   * Lettuce decodes every reply on its I/O thread; the reads are still paired by the thread that
   * issued them, never across the two threads sharing the connection.
   */
  @Test
  void pairsLettuceReadsByTheThreadThatIssuedThem() throws Exception {
    String app = "it-pairs-lettuce";
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms,pairtime=60ms",
            ClientLibraries.lettuce(),
            LettucePairsScenario.class,
            REDIS.server().uri());
    assertEquals(0, run.exitCode(), run.stderr());

    KeySchema schema = KeySchema.forApp(app);
    HourBucket now = HourBucket.ofEpochMillis(System.currentTimeMillis());
    Map<String, Long> pairs = new HashMap<>();
    try (Jedis jedis = new Jedis(REDIS.server().host(), REDIS.server().port())) {
      for (HourBucket hour : new HourBucket[] {now.plusHours(-1), now}) {
        for (var entry : jedis.zrangeWithScores(bytes(schema.pairs(hour)), 0, -1)) {
          byte[][] pair = PairMember.decode(entry.getBinaryElement());
          pairs.merge(
              new String(pair[0], StandardCharsets.UTF_8)
                  + ">"
                  + new String(pair[1], StandardCharsets.UTF_8),
              Math.round(entry.getScore()),
              Long::sum);
        }
      }
    }
    // A command whose origin slot another took in flight is counted but not paired
    // (CommandOrigins).
    assertTrue(pairs.getOrDefault("q:a>q:b", 0L) >= 18, pairs + "\n" + run.stderr());
    assertTrue(pairs.getOrDefault("q:x>q:y", 0L) >= 18, pairs.toString());
    pairs.keySet().removeAll(Set.of("q:a>q:b", "q:x>q:y", "q:b>q:a", "q:y>q:x"));
    assertEquals(Map.of(), pairs, "reads of different threads paired");
  }

  private static long score(Double score) {
    return score == null ? 0 : Math.round(score);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
