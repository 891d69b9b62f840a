package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rewarm=on-delete} in an unmodified application: hot keys it deletes (DEL, UNLINK, GETDEL)
 * come back through its own loader after the delay, with a TTL; a key it refills itself keeps the
 * application's value (NX); a deleted key that is not hot stays deleted.
 */
class RewarmOnDeleteIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  @Test
  void hotKeysTheApplicationDeletesAreLoadedAgainAndItsOwnRefillWins() throws Exception {
    String app = "it-rewarm";
    String hits =
        KeySchema.forApp(app)
            .hourly(HourBucket.ofEpochMillis(System.currentTimeMillis()), HourlySet.HITS);
    for (int i = 1; i <= 5; i++) { // the hot set; item:99 is not in it
      STATS.server().command("ZADD", hits, Integer.toString(100 - i), "item:" + i);
    }
    for (String key : List.of("item:1", "item:2", "item:3", "item:4", "item:5", "item:99")) {
      CACHE.server().command("SET", key, "app-value");
    }
    Path stopFile = Files.createTempFile("keywarm-stop", ".flag");
    Files.delete(stopFile);
    Path go = Path.of(stopFile + ".go");
    Process child =
        ChildJvm.start(
            "app=" + app + ",redis=" + STATS.server().uri() + ",rewarm=on-delete,rewarmdelay=300ms",
            ClientLibraries.jedis(),
            List.of(),
            DeletingApp.class,
            CACHE.server().host(),
            Integer.toString(CACHE.server().port()),
            stopFile.toString());
    try {
      awaitStderr(child, "re-warm on delete: ready");
      long deletedAt = System.nanoTime();
      Files.createFile(go);
      CacheValues.await(CACHE.server(), child, "item:3", "loaded-item:3", 20);
      assertTrue(
          System.nanoTime() - deletedAt >= TimeUnit.MILLISECONDS.toNanos(300),
          "not before the delay");
      for (String key : List.of("item:1", "item:2", "item:5")) {
        CacheValues.await(CACHE.server(), child, key, "loaded-" + key, 20);
        long ttl = Long.parseLong(CACHE.server().command("PTTL", key).toString());
        assertTrue(ttl > 0 && ttl <= 3_600_000, key + " warmed with the default TTL: " + ttl);
      }
      Thread.sleep(1_000); // well past the delay: what was not re-warmed by now never is
      assertEquals(
          "app-refill", CACHE.server().command("GET", "item:4"), "the application's refill wins");
      assertNull(CACHE.server().command("GET", "item:99"), "not hot: left deleted");
    } finally {
      Files.createFile(stopFile);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(stopFile);
    Files.deleteIfExists(go);
    assertEquals(0, run.exitCode(), run.stderr());
  }

  private static void awaitStderr(Process child, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    while (!Files.readString(ChildJvm.stderrFile(child)).contains(line)) {
      if (System.nanoTime() > deadline || !child.isAlive()) {
        throw new AssertionError(
            "no '" + line + "' in\n" + Files.readString(ChildJvm.stderrFile(child)));
      }
      Thread.sleep(50);
    }
  }
}
