package dev.keywarm.agent.it;

import static dev.keywarm.schema.KeySchema.HourlySet.HITS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's main promise, through the path users take: an unmodified Jedis program started with
 * {@code -javaagent} leaves exact per-key hit, miss, write and load counts in the hourly sorted
 * sets — hash fields as entries of their own. Runs once per Jedis version (3.x to 8.x) and once per
 * valkey-java version, each surface of {@link JedisScenario} in one child JVM.
 */
class JedisRecordingIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static Stream<String> jedisVersions() throws java.io.IOException {
    return ClientLibraries.jedisVersions().stream();
  }

  @ParameterizedTest(name = "Jedis {0}")
  @MethodSource("jedisVersions")
  void recordsExactCountsForEveryApiSurface(String version) throws Exception {
    recordsExactCounts(
        "it-jedis-" + version.replace('.', '-'),
        ClientLibraries.jedis(version),
        "redis.clients.jedis",
        version.startsWith("3.") ? JedisScenario.JEDIS3_SURFACES : JedisScenario.SURFACES,
        "redis=" + REDIS.server().uri() + ",");
  }

  static Stream<String> valkeyVersions() throws java.io.IOException {
    return ClientLibraries.valkeyVersions().stream();
  }

  /**
   * valkey-java, Valkey's fork of Jedis 5 under {@code io.valkey}: the same program, hooked by the
   * same hooks matched under its root package, leaves the same exact counts — with no {@code redis}
   * option, in the Redis the application connects to first (its socket factory, hooked too).
   */
  @ParameterizedTest(name = "valkey-java {0}")
  @MethodSource("valkeyVersions")
  void recordsValkeyJavaExactlyAsJedis(String version) throws Exception {
    recordsExactCounts(
        "it-valkey-" + version.replace('.', '-'),
        ClientLibraries.valkey(version),
        "io.valkey",
        JedisScenario.SURFACES,
        "");
  }

  private void recordsExactCounts(
      String name, String classPath, String root, String[] surfaces, String statsOption)
      throws Exception {
    String app = name + "-" + System.nanoTime();
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + "," + statsOption + "flush=500ms",
            classPath,
            JedisScenario.class,
            REDIS.server().host(),
            Integer.toString(REDIS.server().port()),
            app,
            root);

    assertEquals(0, run.exitCode(), () -> "scenario failed:\n" + run.stderr());
    assertTrue(run.stdout().contains("scenario done"), run.stdout());
    assertFalse(run.stderr().contains("Exception"), run.stderr());

    try (StatsReader stats = new StatsReader(REDIS.server().host(), REDIS.server().port(), app)) {
      List<Executable> checks = new ArrayList<>();
      for (String surface : surfaces) {
        checks.addAll(KnownSequence.expectations(stats, app + ":" + surface));
      }
      assertAll(checks);
      KnownSequence.assertOnlyApplicationKeys(stats);
      String hitsKey = stats.keys(HITS).get(0);
      long ttl = stats.ttl(hitsKey);
      assertTrue(ttl > 8 * 24 * 3600 - 60 && ttl <= 8 * 24 * 3600 + 3600, "retention TTL " + ttl);
      assertTrue(stats.meta().containsKey("flushes"), stats.meta().toString());
    }
  }
}
