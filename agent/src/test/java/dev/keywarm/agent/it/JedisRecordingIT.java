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
 * sets. Runs once per Jedis version (3.x to 8.x), each surface of {@link JedisScenario} in one
 * child JVM.
 */
class JedisRecordingIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static Stream<String> jedisVersions() throws java.io.IOException {
    return ClientLibraries.jedisVersions().stream();
  }

  @ParameterizedTest(name = "Jedis {0}")
  @MethodSource("jedisVersions")
  void recordsExactCountsForEveryApiSurface(String version) throws Exception {
    String app = "it-jedis-" + version.replace('.', '-') + "-" + System.nanoTime();
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",redis=" + REDIS.server().uri() + ",flush=500ms",
            ClientLibraries.jedis(version),
            JedisScenario.class,
            REDIS.server().host(),
            Integer.toString(REDIS.server().port()),
            app);

    assertEquals(0, run.exitCode(), () -> "scenario failed:\n" + run.stderr());
    assertTrue(run.stdout().contains("scenario done"), run.stdout());
    assertFalse(run.stderr().contains("Exception"), run.stderr());

    try (StatsReader stats = new StatsReader(REDIS.server().host(), REDIS.server().port(), app)) {
      List<Executable> checks = new ArrayList<>();
      String[] surfaces =
          version.startsWith("3.") ? JedisScenario.JEDIS3_SURFACES : JedisScenario.SURFACES;
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
