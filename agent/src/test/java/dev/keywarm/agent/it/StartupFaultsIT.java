package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad configuration never stops the application: one clear line, and the program runs as usual. */
class StartupFaultsIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private ChildJvm.Result runScenario(String agentArgs, String namespace) throws Exception {
    return ChildJvm.run(
        agentArgs,
        ClientLibraries.jedis(),
        JedisScenario.class,
        REDIS.server().host(),
        Integer.toString(REDIS.server().port()),
        namespace);
  }

  @Test
  void malformedOptionsPrintOneLineAndTheApplicationRunsUnrecorded() throws Exception {
    ChildJvm.Result run = runScenario("app=bad-options,flush=abc", "bad-options");
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().contains("scenario done"));
    assertEquals(1, run.stderrLines("[keywarm]"), run.stderr());
    assertEquals(1, run.stderrLines("invalid option flush='abc'"), run.stderr());
    assertTrue(((java.util.List<?>) REDIS.server().command("KEYS", "kw:{bad-options}*")).isEmpty());
  }

  @Test
  void unknownOptionIsNamed() throws Exception {
    ChildJvm.Result run = runScenario("app=typo,flsh=10s", "typo");
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(1, run.stderrLines("unknown option 'flsh'"), run.stderr());
  }

  @Test
  void unreachableStatsRedisAtStartIsOneLineAndNoHarm() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ChildJvm.Result run =
        runScenario(
            "app=unreachable,flush=200ms,shutdownflush=1s,"
                + "redis=redis://user:hunter2@127.0.0.1:"
                + closedPort,
            "unreachable");
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().contains("scenario done"));
    assertEquals(1, run.stderrLines("unavailable"), run.stderr());
    assertEquals(0, run.stderrLines("hunter2"), "a secret reached the log: " + run.stderr());
    assertEquals(0, run.stderrLines("Exception in thread"), run.stderr());
  }

  @Test
  void recordingOffInstallsNothing() throws Exception {
    ChildJvm.Result run = runScenario("app=off,recording=off", "off");
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(((java.util.List<?>) REDIS.server().command("KEYS", "kw:{off}*")).isEmpty());
  }
}
