package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServer;
import dev.keywarm.testsupport.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one jar as users run it: {@code java -jar keywarm.jar <command>}, its help and exit codes,
 * and the whole loop — record with {@code -javaagent:keywarm.jar}, {@code analyze}, {@code warm} —
 * on a real Redis.
 */
class CommandLineIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static ChildJvm.Result keywarm(String... args) throws Exception {
    return ChildJvm.runJar(ChildJvm.agentJar(), args);
  }

  @Test
  void everyCommandHasHelpAndAWrongCommandLineExitsWithTwo() throws Exception {
    ChildJvm.Result help = keywarm("--help");
    assertEquals(0, help.exitCode(), help.stderr());
    for (String command : List.of("analyze", "warm", "list", "attach", "version")) {
      assertTrue(help.stdout().contains("  " + command), help.stdout());
    }
    for (String command : List.of("analyze", "warm", "attach")) {
      ChildJvm.Result sub = keywarm(command, "--help");
      assertEquals(0, sub.exitCode(), command + ": " + sub.stderr());
      assertTrue(sub.stdout().toLowerCase().contains("usage"), command + ": " + sub.stdout());
    }
    assertEquals(2, keywarm("bogus").exitCode());
    assertEquals(2, keywarm().exitCode());
    assertEquals(2, keywarm("analyze", "--app", "shop").exitCode(), "missing --redis");
  }

  @Test
  void recordAnalyzeAndWarmWithTheOneJar() throws Exception {
    String app = "one-jar";
    String redis = REDIS.server().uri();
    ChildJvm.Result empty = keywarm("analyze", "--app", app, "--redis", redis);
    assertEquals(3, empty.exitCode(), "no data yet: " + empty.stdout() + empty.stderr());

    ChildJvm.Result recorded =
        ChildJvm.run(
            "app=" + app + ",redis=" + redis + ",flush=200ms",
            ClientLibraries.jedis(),
            JedisScenario.class,
            REDIS.server().host(),
            Integer.toString(REDIS.server().port()),
            "onejar");
    assertEquals(0, recorded.exitCode(), recorded.stderr());
    try (StatsReader reader = new StatsReader(REDIS.server().host(), REDIS.server().port(), app)) {
      assertTrue(!reader.keys(HourlySet.HITS).isEmpty(), "the agent recorded");
    }

    ChildJvm.Result analyzed =
        keywarm(
            "analyze",
            "--app",
            app,
            "--redis",
            redis,
            "--include-current-hour",
            "--format",
            "text");
    assertEquals(0, analyzed.exitCode(), analyzed.stdout() + analyzed.stderr());
    assertTrue(analyzed.stdout().contains("keywarm analysis"), analyzed.stdout());

    // a cold cache beside the one the scenario filled: warm it by copying the planned keys
    try (RedisServer cold = RedisServer.start()) {
      ChildJvm.Result warmed =
          keywarm(
              "warm",
              "--app",
              app,
              "--redis",
              cold.uri(),
              "--stats-redis",
              redis,
              "--copy-from",
              redis,
              "--no-lease",
              "--plan-snapshot",
              "none",
              "--progress",
              "lines",
              "--target-coverage",
              "0.5"); // some planned keys were misses: nothing to copy
      assertEquals(0, warmed.exitCode(), warmed.stdout() + warmed.stderr());
      long copied = (Long) cold.command("DBSIZE");
      assertTrue(copied > 0, "the warm copied the planned keys: " + warmed.stderr());
    }
  }
}
