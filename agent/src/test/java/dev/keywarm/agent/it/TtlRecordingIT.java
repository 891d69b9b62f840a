package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The expiry the application gives each key, exactly, per client surface: SET EX/PX, SETEX, PSETEX,
 * a plain SET and MSET (none), EXPIRE, PEXPIRE, PERSIST, GETEX EX, and SET KEEPTTL (which keeps the
 * last known one), through every Jedis (3.x to 8.x) and Lettuce (5.x to 7.x) version of the client
 * matrix, in the hour's {@code ttl} set and the pattern histogram.
 */
class TtlRecordingIT {

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

  static java.util.stream.Stream<String> clients() throws java.io.IOException {
    return java.util.stream.Stream.concat(
        ClientLibraries.jedisVersions().stream().map(v -> "jedis " + v),
        ClientLibraries.lettuceVersions().stream().map(v -> "lettuce " + v));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void everyTtlSurfaceIsRecordedExactly(String clientVersion) throws Exception {
    String client = clientVersion.substring(0, clientVersion.indexOf(' '));
    String version = clientVersion.substring(client.length() + 1);
    String app = "it-ttl-" + client + "-" + version.replace('.', '-');
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",redis=" + stats.uri() + ",flush=1s",
            client.equals("jedis")
                ? ClientLibraries.jedis(version)
                : ClientLibraries.lettuce(version),
            TtlApp.class,
            client,
            cache.host(),
            Integer.toString(cache.port()));
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().contains("done"), run.stdout() + run.stderr());
    Map<String, Double> ttls = new TreeMap<>();
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      for (String key : jedis.keys("kw:{" + app + "}:h:*:ttl")) {
        for (Tuple t : jedis.zrangeWithScores(key, 0, -1)) {
          ttls.put(t.getElement(), t.getScore());
        }
      }
    }
    Map<String, Double> expected = new TreeMap<>();
    expected.put("ttl:ex", 10.0);
    expected.put("ttl:px", 2.5);
    expected.put("ttl:setex", 20.0);
    expected.put("ttl:psetex", 1.5);
    expected.put("ttl:none", -1.0);
    expected.put("ttl:mset", -1.0);
    expected.put("ttl:expire", 30.0);
    expected.put("ttl:pexpire", 3.5);
    expected.put("ttl:persist", -1.0);
    expected.put("ttl:getex", 40.0);
    expected.put("ttl:keep", 60.0);
    if (run.stdout().contains("skipped ttl:getex")) { // no GETEX in this client version
      expected.remove("ttl:getex");
    } // without KEEPTTL, ttl:keep's SETEX 60 s is still its last word
    assertEquals(expected, ttls);

    // per pattern (each of these keys is its own pattern, written once): writes per TTL bucket
    Map<String, Long> histogram = new TreeMap<>();
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      for (String key : jedis.keys("kw:{" + app + "}:h:*:ttlp")) {
        jedis.hgetAll(key).forEach((f, v) -> histogram.merge(f, Long.parseLong(v), Long::sum));
      }
    }
    for (String field :
        List.of(
            "ttl:ex|10000",
            "ttl:px|2500",
            "ttl:setex|20000",
            "ttl:psetex|1500",
            "ttl:none|-1",
            "ttl:mset|-1")) {
      assertEquals(1L, histogram.get(field), field + " in " + histogram);
    }
  }
}
