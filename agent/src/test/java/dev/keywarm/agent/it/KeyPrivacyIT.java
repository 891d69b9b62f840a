package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * keys=hashed: no raw key ever reaches the stats Redis, and the secret never reaches a log line.
 */
class KeyPrivacyIT {

  private static final String SECRET = "fleet-secret-0123456789";
  private static RedisServer stats;
  private static RedisServer cache;

  @BeforeAll
  static void start() {
    stats = RedisServer.start();
    cache = RedisServer.start();
  }

  @org.junit.jupiter.api.BeforeEach
  void emptyCache() {
    org.junit.jupiter.api.Assumptions.assumeTrue(cache.canRestart(), "needs its own cache Redis");
    cache.flushAll();
  }

  @AfterAll
  static void stop() {
    stats.close();
    cache.close();
  }

  @Test
  void statsRedisHoldsNoRawKey() throws Exception {
    ChildJvm.Result run =
        ChildJvm.run(
            "app=it-private,keys=hashed,redis=" + stats.uri() + ",flush=300ms,keysecret=" + SECRET,
            ClientLibraries.jedis(),
            PrivateKeysScenario.class,
            cache.host(),
            Integer.toString(cache.port()));
    assertEquals(0, run.exitCode(), run.stderr());
    assertFalse(run.stderr().contains(SECRET), "secret logged: " + run.stderr());

    long aliceHits = -1;
    int members = 0;
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      for (String key : jedis.keys("kw:*")) {
        if (jedis.type(key).equals("zset")) {
          for (Tuple tuple : jedis.zrangeWithScores(key.getBytes(StandardCharsets.UTF_8), 0, -1)) {
            String member = new String(tuple.getBinaryElement(), StandardCharsets.ISO_8859_1);
            members++;
            assertFalse(
                member.contains("alice")
                    || member.contains("example.com")
                    || member.contains("4915112345678"),
                "raw key in " + key + ": " + member);
            if (key.endsWith(":hits") && member.startsWith("user:#")) {
              aliceHits = Math.round(tuple.getScore());
            }
          }
        }
      }
    }
    assertTrue(members >= 4, "expected hits, misses, writes and pairs members: " + members);
    assertEquals(1, aliceHits, "the hashed member keeps the key's counts");
  }

  @Test
  void patternModeStoresPatternsOnly() throws Exception {
    ChildJvm.Result run =
        ChildJvm.run(
            "app=it-pattern,keys=pattern,redis=" + stats.uri() + ",flush=300ms",
            ClientLibraries.jedis(),
            PrivateKeysScenario.class,
            cache.host(),
            Integer.toString(cache.port()));
    assertEquals(0, run.exitCode(), run.stderr());
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      for (String key : jedis.keys("kw:{it-pattern}*:misses")) {
        for (String member : jedis.zrange(key, 0, -1)) {
          assertFalse(member.contains("alice") || member.contains("4915112345678"), member);
        }
        assertEquals(5.0, jedis.zscore(key, "phone:{n}"), "phone:{n} misses");
        assertEquals(5.0, jedis.zscore(key, "user:{s}"), "user:{s} misses");
      }
    }
  }

  @Test
  void hashedWithoutASecretIsOneClearLineAndNoHarm() throws Exception {
    ChildJvm.Result run =
        ChildJvm.run(
            "app=it-nosecret,keys=hashed,redis=" + stats.uri(),
            ClientLibraries.jedis(),
            PrivateKeysScenario.class,
            cache.host(),
            Integer.toString(cache.port()));
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(1, run.stderrLines("keys=hashed needs keysecret"), run.stderr());
    assertTrue(((List<?>) stats.command("KEYS", "kw:{it-nosecret}*")).isEmpty());
  }
}
