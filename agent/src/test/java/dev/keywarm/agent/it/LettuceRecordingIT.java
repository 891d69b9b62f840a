package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The same promise for Lettuce, 5.3 to 7.x: sync, async, reactive, MULTI, manual flushing and a
 * byte[] codec each leave exact counts; one user call is counted once, whatever layers it passes;
 * and without a {@code redis} option the stats go to the Redis the application itself uses.
 */
class LettuceRecordingIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static Stream<String> lettuceVersions() throws java.io.IOException {
    return ClientLibraries.lettuceVersions().stream();
  }

  @ParameterizedTest(name = "Lettuce {0}")
  @MethodSource("lettuceVersions")
  void recordsExactCountsForEveryApi(String version) throws Exception {
    String app = "it-lettuce-" + version.replace('.', '-') + "-" + System.nanoTime();
    // no redis=: the stats go to the Redis the application configures (found from RedisClient)
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=500ms",
            ClientLibraries.lettuce(version),
            LettuceScenario.class,
            REDIS.server().uri(),
            app);

    assertEquals(0, run.exitCode(), () -> "scenario failed:\n" + run.stderr());
    assertTrue(run.stdout().contains("scenario done"), run.stdout());
    assertEquals(0, run.stderrLines("WARN"), run.stderr());

    try (StatsReader stats = new StatsReader(REDIS.server().host(), REDIS.server().port(), app)) {
      List<Executable> checks = new ArrayList<>();
      for (String surface : LettuceScenario.SURFACES) {
        checks.addAll(KnownSequence.expectations(stats, app + ":" + surface));
      }
      checks.addAll(KnownSequence.failedNotCounted(stats, app));
      assertAll(checks);
      KnownSequence.assertOnlyApplicationKeys(stats);
    }
  }
}
