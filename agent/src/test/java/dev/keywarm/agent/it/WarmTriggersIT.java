package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zero-touch warming: an unmodified application with {@code warm=always} and a ServiceLoader loader
 * comes up with its hot set loaded, and when its cache Redis is killed and restarted cold under it,
 * the agent notices and warms again — with the stats kept in a separate Redis that survives.
 */
class WarmTriggersIT {

  private static final int HOT_KEYS = 30;
  private static RedisServer stats;
  private static RedisServer cache;

  @BeforeAll
  static void start() {
    stats = RedisServer.start();
    cache = RedisServer.start("--appendonly", "no");
    Assumptions.assumeTrue(cache.canRestart(), "needs a cache redis-server it can restart");
  }

  @AfterAll
  static void stop() {
    stats.close();
    cache.close();
  }

  @Test
  void warmsOnStartAndAfterTheCacheRestarts() throws Exception {
    String app = "it-warm";
    KeySchema schema = KeySchema.forApp(app);
    String hits =
        schema.hourly(HourBucket.ofEpochMillis(System.currentTimeMillis()), HourlySet.HITS);
    for (int i = 1; i <= HOT_KEYS; i++) {
      stats.command("ZADD", hits, Integer.toString(1000 - i), "item:" + i);
    }
    Path stopFile = Files.createTempFile("keywarm-stop", ".flag");
    Files.delete(stopFile);

    Process child =
        ChildJvm.start(
            "app=" + app + ",redis=" + stats.uri() + ",warm=always,restartcheck=300ms,flush=1s",
            ClientLibraries.jedis(),
            List.of("-Dkeywarm.warmargs=--rate 0 --readiness-port 0"),
            WarmedApp.class,
            cache.host(),
            Integer.toString(cache.port()),
            stopFile.toString());
    try {
      awaitWarm("on start", child);
      cache.kill();
      Thread.sleep(500);
      cache.restart();
      assertEquals(null, cache.command("GET", "item:" + HOT_KEYS), "a restarted cache is cold");
      awaitWarm("after the restart", child);
    } finally {
      Files.createFile(stopFile);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(stopFile);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(2, run.stderrLines("warm finished"), run.stderr());
    assertEquals(1, run.stderrLines("restarted (new run_id)"), run.stderr());
    // the runner's readiness endpoint (jdk.httpserver) works inside an application too
    assertEquals(2, run.stderrLines("readiness endpoint on port"), run.stderr());
    assertEquals(0, run.stderrLines("readiness endpoint not started"), run.stderr());
  }

  private void awaitWarm(String when, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    while (true) {
      Object last = cache.command("GET", "item:" + HOT_KEYS);
      if (("loaded-item:" + HOT_KEYS).equals(last)) {
        for (int i = 1; i <= HOT_KEYS; i++) {
          assertEquals(
              "loaded-item:" + i, cache.command("GET", "item:" + i), "item:" + i + " " + when);
        }
        return;
      }
      if (System.nanoTime() > deadline || !child.isAlive()) {
        throw new AssertionError(
            "hot set not warmed " + when + "\n" + Files.readString(ChildJvm.stderrFile(child)));
      }
      Thread.sleep(100);
    }
  }
}
