package dev.keywarm.agent.it;

import static dev.keywarm.schema.KeySchema.HourlySet.HITS;
import static dev.keywarm.schema.KeySchema.HourlySet.LOADS;
import static dev.keywarm.schema.KeySchema.HourlySet.LOAD_MICROS;
import static dev.keywarm.schema.KeySchema.HourlySet.MISSES;
import static dev.keywarm.schema.KeySchema.HourlySet.WRITES;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.StoredKey;
import dev.keywarm.testsupport.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's main promise, through the path users take: an unmodified Jedis program started with
 * {@code -javaagent} leaves exact per-key hit, miss, write and load counts in the hourly sorted sets.
 * Runs once per Jedis version (4.x to 8.x), each surface of {@link JedisScenario} in one child JVM.
 */
class JedisRecordingIT {

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  static Stream<String> jedisVersions() {
    return ChildJvm.jedisVersions().stream();
  }

  @ParameterizedTest(name = "Jedis {0}")
  @MethodSource("jedisVersions")
  void recordsExactCountsForEveryApiSurface(String version) throws Exception {
    String app = "it-jedis-" + version.replace('.', '-') + "-" + System.nanoTime();
    ChildJvm.Result run = ChildJvm.run("app=" + app + ",redis=" + redis.uri() + ",flush=500ms",
        ChildJvm.classPath(version), JedisScenario.class, redis.host(), Integer.toString(redis.port()),
        app);

    assertEquals(0, run.exitCode(), () -> "scenario failed:\n" + run.stderr());
    assertTrue(run.stdout().contains("scenario done"), run.stdout());
    assertFalse(run.stderr().contains("Exception"), run.stderr());

    try (StatsReader stats = new StatsReader(redis.host(), redis.port(), app)) {
      List<Executable> checks = new ArrayList<>();
      for (String surface : JedisScenario.SURFACES) {
        String s = app + ":" + surface;
        expect(checks, stats, s, s + ":user:1", 12, 7, 3, 1);
        expect(checks, stats, s, s + ":f:a", 2, 0, 1, 0);
        expect(checks, stats, s, s + ":f:b", 1, 2, 1, 0);
        expect(checks, stats, s, s + ":f:c", 2, 0, 2, 0);
        expect(checks, stats, s, s + ":f:d", 0, 0, 2, 0);
        expect(checks, stats, s, s + ":f:x", 0, 1, 0, 0);
        expect(checks, stats, s, s + ":f:m1", 0, 0, 1, 0);
        expect(checks, stats, s, s + ":f:m2", 0, 0, 1, 0);
        expect(checks, stats, s, s + ":f:e", 0, 1, 1, 1);
        expect(checks, stats, s, JedisScenario.binaryKey(s), 1, 2, 1, 1);
        expect(checks, stats, s, JedisScenario.longKey(s).getBytes(), 2, 0, 1, 0);
      }
      assertAll(checks);

      for (HourlySet set : HourlySet.values()) {
        for (byte[] member : stats.members(set)) {
          assertFalse(KeySchema.isKeywarmKey(member), "agent recorded its own traffic");
          assertTrue(member.length <= StoredKey.MAX_BYTES, "member longer than the cap");
        }
      }
      String hitsKey = stats.keys(HITS).get(0);
      long ttl = stats.ttl(hitsKey);
      assertTrue(ttl > 8 * 24 * 3600 - 60 && ttl <= 8 * 24 * 3600 + 3600, "retention TTL " + ttl);
      assertTrue(stats.meta().containsKey("flushes"), stats.meta().toString());
    }
  }

  private static void expect(List<Executable> checks, StatsReader stats, String surface, String key,
      long hits, long misses, long writes, long loads) {
    expect(checks, stats, surface, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), hits,
        misses, writes, loads);
  }

  private static void expect(List<Executable> checks, StatsReader stats, String surface, byte[] key,
      long hits, long misses, long writes, long loads) {
    String name = surface + " " + printable(key);
    checks.add(() -> assertEquals(hits, stats.score(HITS, key), name + " hits"));
    checks.add(() -> assertEquals(misses, stats.score(MISSES, key), name + " misses"));
    checks.add(() -> assertEquals(writes, stats.score(WRITES, key), name + " writes"));
    checks.add(() -> assertEquals(loads, stats.score(LOADS, key), name + " loads"));
    if (loads > 0) {
      checks.add(() -> assertTrue(stats.score(LOAD_MICROS, key) > 0, name + " load time"));
    }
  }

  private static String printable(byte[] key) {
    String text = new String(key, java.nio.charset.StandardCharsets.ISO_8859_1);
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
