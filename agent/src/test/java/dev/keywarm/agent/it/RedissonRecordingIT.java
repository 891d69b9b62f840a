package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import dev.keywarm.testsupport.RedisServerExtension;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Redisson 3.17 and 3.50, standalone and Redis Cluster: buckets, {@code RBuckets}, maps and map
 * caches through the sync, async, reactive and RxJava APIs leave exact counts, a map's fields as
 * entries of their own; a Lua-script {@code RMapCache.get} is a hit or a miss of its field, and
 * Redisson's own connection, ping and cluster-topology traffic counts nothing. Without a {@code
 * redis} option the stats go to the Redis the application configures.
 */
class RedissonRecordingIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static RedisCluster cluster;

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static Stream<String> redissonVersions() throws java.io.IOException {
    return ClientLibraries.redissonVersions().stream();
  }

  @ParameterizedTest(name = "Redisson {0} standalone")
  @MethodSource("redissonVersions")
  void recordsExactCountsForEveryApi(String version) throws Exception {
    check(version, "standalone", REDIS.server().uri());
  }

  @ParameterizedTest(name = "Redisson {0} cluster")
  @MethodSource("redissonVersions")
  void recordsExactCountsInACluster(String version) throws Exception {
    RedisServer seed = cluster.nodes().get(0);
    check(version, "cluster", "redis://" + seed.host() + ":" + seed.port());
  }

  @ParameterizedTest(name = "Redisson {0} default codec, batches")
  @MethodSource("redissonVersions")
  void recordsTheFieldBytesTheCodecSentAndBatchesOnce(String version) throws Exception {
    String app = "it-redisson-codec-" + version.replace('.', '-') + "-" + System.nanoTime();
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=500ms",
            ClientLibraries.redisson(version),
            RedissonCodecScenario.class,
            REDIS.server().uri(),
            app);
    assertEquals(0, run.exitCode(), () -> "scenario failed:\n" + run.stderr());
    assertTrue(run.stdout().contains("scenario done"), run.stdout());
    assertEquals(0, run.stderrLines("WARN"), run.stderr());
    byte[] field = HexFormat.of().parseHex(line(run.stdout(), "field="));
    assertTrue(
        field.length > "profile".length(), "not plain text: " + line(run.stdout(), "codec="));

    try (StatsReader stats = new StatsReader(REDIS.server().host(), REDIS.server().port(), app)) {
      List<Executable> checks = new ArrayList<>();
      byte[] member = FieldMember.encode(RedissonSequence.key(app + ":codec:h"), field);
      RedissonSequence.expect(checks, stats, member, 1, 1, 1, 1);
      for (String mode : List.of("batch", "atomic")) {
        String s = app + ":" + mode;
        RedissonSequence.expect(checks, stats, RedissonSequence.key(s + ":k"), 1, 1, 1, 1);
        RedissonSequence.expect(checks, stats, RedissonSequence.field(s + ":h", "f"), 1, 1, 1, 1);
      }
      assertAll(checks);
      KnownSequence.assertOnlyApplicationKeys(stats);
    }
  }

  private static String line(String stdout, String prefix) {
    return stdout
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .map(l -> l.substring(prefix.length()))
        .orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + stdout));
  }

  private void check(String version, String mode, String address) throws Exception {
    String app = "it-redisson-" + mode + "-" + version.replace('.', '-') + "-" + System.nanoTime();
    // standalone: no redis=, the stats go to the Redis the application configures
    String statsOption = mode.equals("standalone") ? "" : ",redis=" + REDIS.server().uri();
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=500ms" + statsOption,
            ClientLibraries.redisson(version),
            RedissonScenario.class,
            mode,
            address,
            app);
    assertEquals(0, run.exitCode(), () -> "scenario failed:\n" + run.stderr());
    assertTrue(run.stdout().contains("scenario done"), run.stdout());
    assertEquals(0, run.stderrLines("WARN"), run.stderr());

    try (StatsReader stats = new StatsReader(REDIS.server().host(), REDIS.server().port(), app)) {
      List<Executable> checks = new ArrayList<>();
      for (String surface : RedissonScenario.SURFACES) {
        checks.addAll(RedissonSequence.expectations(stats, app + ":" + surface));
      }
      assertAll(checks);
      KnownSequence.assertOnlyApplicationKeys(stats);
      for (byte[] member : stats.members(dev.keywarm.schema.KeySchema.HourlySet.HITS)) {
        String text = dev.keywarm.schema.KeyText.display(member);
        assertTrue(text.contains(app), "a key the sequence never read: " + text);
      }
    }
  }
}
