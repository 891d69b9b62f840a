package dev.keywarm.agent.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeyText;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * With the snapshot on, every command that changes a key's value or expiry reaches {@code
 * snap:inval} with a time no earlier than the command, through Jedis and Lettuce alike; a plain
 * read does not. A hash write or field delete publishes the field's member and its whole key.
 */
class InvalidationRecordingIT {

  private static RedisServer stats;
  private static RedisServer cache;

  @BeforeAll
  static void start() {
    stats = RedisServer.start();
    cache = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    stats.close();
    cache.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"jedis", "lettuce"})
  void everyInvalidatingCommandIsPublished(String client) throws Exception {
    String app = "it-inval-" + client;
    // another instance keeps the snapshot: this one only publishes, and nothing prunes snap:inval
    stats.command("SET", KeySchema.forApp(app).snapshotLease(), "another-instance", "EX", "600");
    long before = System.currentTimeMillis();
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",redis=" + stats.uri() + ",snapshot=on,flush=1s",
            client.equals("jedis") ? ClientLibraries.jedis() : ClientLibraries.lettuce(),
            InvalidatingApp.class,
            client,
            cache.host(),
            Integer.toString(cache.port()));
    assertEquals(0, run.exitCode(), run.stderr());
    Map<String, Long> invalidated = new TreeMap<>();
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      byte[] inval = KeySchema.forApp(app).snapshotInvalidations().getBytes(UTF_8);
      for (Tuple t : jedis.zrangeWithScores(inval, 0, -1)) {
        invalidated.put(KeyText.display(t.getBinaryElement()), (long) t.getScore());
      }
    }
    Long written = invalidated.get("inv:read"); // its setex: a write, 1.5 s before the rest
    assertTrue(written != null && written >= before, "inv:read's setex in " + invalidated);
    for (String key :
        List.of(
            "del",
            "unlink",
            "expire",
            "persist",
            "getex",
            "getdel",
            "incr",
            "hset",
            "hset [f]",
            "hdel",
            "hdel [g]")) {
      Long at = invalidated.get("inv:" + key);
      assertTrue(at != null && at >= written + 1_000, "inv:" + key + " in " + invalidated);
    }
    assertTrue(
        invalidated.get("inv:read") < invalidated.get("inv:del") - 1_000,
        "the read of inv:read invalidated nothing: " + invalidated);
    assertTrue(
        invalidated.get("inv:plain-getex") < invalidated.get("inv:del") - 1_000,
        "a GETEX without option invalidated nothing: " + invalidated);
    for (String hashRead : List.of("inv:hread", "inv:hread [f]")) { // written early, then read
      assertTrue(
          invalidated.get(hashRead) < invalidated.get("inv:del") - 1_000,
          "an HGET invalidated nothing: " + hashRead + " in " + invalidated);
    }
  }
}
