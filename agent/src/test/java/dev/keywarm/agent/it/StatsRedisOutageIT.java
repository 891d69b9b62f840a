package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stats Redis dies under load and comes back: the application sees nothing (no exception), the
 * agent logs the outage once and its end once, and nothing recorded after the crash is lost — it
 * waits in the backlog and is written when the stats Redis returns.
 */
class StatsRedisOutageIT {

  private static RedisServer cache;
  private static RedisServer stats;

  @BeforeAll
  static void start() {
    cache = RedisServer.start();
    stats = RedisServer.start("--appendonly", "no");
    Assumptions.assumeTrue(stats.canRestart(), "needs a redis-server it can kill");
  }

  @AfterAll
  static void stop() {
    cache.close();
    stats.close();
  }

  @Test
  void applicationIsUntouchedAndCountingResumes() throws Exception {
    Path marker = Files.createTempFile("keywarm-killed", ".marker");
    Files.delete(marker);
    String app = "it-outage";
    Process child =
        ChildJvm.start(
            "app=" + app + ",redis=" + stats.uri() + ",flush=300ms,timeout=500ms",
            ClientLibraries.jedis(),
            List.of(),
            CacheAsideApp.class,
            cache.host(),
            Integer.toString(cache.port()),
            "12",
            marker.toString());
    awaitOutput(child, "serving");
    Thread.sleep(1000); // at least one flush lands before the crash
    stats.kill();
    Files.createFile(marker);
    Thread.sleep(3000);
    stats.restart();
    assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(marker);

    assertEquals(0, run.exitCode(), run.stderr());
    Map<String, Long> printed = parse(run.stdout().replace("serving", ""));
    assertEquals(0L, printed.get("exceptions"), run.stdout() + run.stderr());
    assertTrue(printed.get("hitsAtMarker") > 0, "the app was working when the stats Redis died");
    assertEquals(1, run.stderrLines("unavailable"), run.stderr());
    assertEquals(1, run.stderrLines("reachable again"), run.stderr());

    long recorded;
    try (StatsReader reader = new StatsReader(stats.host(), stats.port(), app)) {
      recorded = 0;
      for (int i = 0; i < 100; i++) {
        recorded += reader.score(HourlySet.HITS, "svc:item:" + i);
      }
    }
    long hitsAfterCrash = printed.get("hits") - printed.get("hitsAtMarker");
    assertTrue(
        recorded >= hitsAfterCrash,
        "hits after the crash were lost: recorded " + recorded + " < " + hitsAfterCrash);
    assertTrue(recorded <= printed.get("hits"), "recorded more hits than happened: " + recorded);
  }

  private static void awaitOutput(Process process, String text) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!Files.readString(ChildJvm.stdoutFile(process)).contains(text)) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("the service never started serving");
      }
      Thread.sleep(50);
    }
  }

  private static Map<String, Long> parse(String stdout) {
    Map<String, Long> values = new HashMap<>();
    for (String part : stdout.trim().split("\\s+")) {
      String[] kv = part.split("=");
      if (kv.length == 2) {
        values.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return values;
  }
}
