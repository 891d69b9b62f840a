package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.LocalTools;
import dev.keywarm.testsupport.RedisServerExtension;
import dev.keywarm.testsupport.ScrapedSamples;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code standing=refresh-ahead} through the agent, in an unmodified application with a loader on
 * its class path: hot keys about to expire come back from its loader with a fresh TTL before they
 * expire; a hot key without an observed TTL is left alone. (Every technique, the compare-and-set
 * and the lease are tested in the warm-runner; this checks that the agent's options reach it and
 * that its meters show what it did.)
 */
class StandingWarmIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  @Test
  void hotKeysAboutToExpireAreRefreshedThroughTheApplicationsLoader() throws Exception {
    String app = "it-standing";
    KeySchema schema = KeySchema.forApp(app);
    HourBucket hour = HourBucket.ofEpochMillis(System.currentTimeMillis());
    for (int i = 1; i <= 4; i++) {
      STATS.server().command("ZADD", schema.hourly(hour, HourlySet.HITS), "100", "item:" + i);
      CACHE.server().command("SET", "item:" + i, "app-value", "PX", "8000");
    }
    for (int i = 1; i <= 3; i++) { // the application writes these with a 20 s TTL; item:4 unknown
      STATS.server().command("ZADD", schema.ttls(hour), "20", "item:" + i);
      // below half of it (refreshbelow=0.5) from the start: due as soon as the warm runs
    }
    Path stopFile = Files.createTempFile("keywarm-stop", ".flag");
    Files.delete(stopFile);
    int port = LocalTools.freePort();
    Process child =
        ChildJvm.start(
            "app="
                + app
                + ",redis="
                + STATS.server().uri()
                + ",standing=refresh-ahead,refreshcheck=200ms,refreshbelow=0.5,prometheus=127.0.0.1:"
                + port,
            ClientLibraries.jedis(),
            List.of(),
            WarmedApp.class, // it reads item:1 until the stop file appears
            CACHE.server().host(),
            Integer.toString(CACHE.server().port()),
            stopFile.toString());
    try {
      for (int i = 1; i <= 3; i++) {
        CacheValues.await(CACHE.server(), child, "item:" + i, "loaded-item:" + i, 30);
        long ttl = Long.parseLong(CACHE.server().command("PTTL", "item:" + i).toString());
        assertTrue(ttl > 8_000 && ttl <= 20_000, "a fresh TTL from the observed 20 s: " + ttl);
      }
      Thread.sleep(8_000); // item:4 has expired by now, and was never refreshed
      assertEquals(null, CACHE.server().command("GET", "item:4"), "no observed TTL: left alone");
      String cache = "cache=\"" + app + "\"";
      String body =
          ScrapedSamples.await(
                  child,
                  URI.create("http://127.0.0.1:" + port + "/metrics"),
                  Map.of("keywarm_standing_lease_holder{" + cache + "}", "1.0"))
              .body();
      double loaded =
          Double.parseDouble(
              ScrapedSamples.of(body)
                  .get(
                      "keywarm_standing_keys_total{"
                          + cache
                          + ",technique=\"refresh-ahead\",result=\"loaded\"}"));
      // each key again every time it falls below half its TTL: at least the three refreshes above
      assertTrue(loaded >= 3, "refresh-ahead's loads on the meters: " + loaded);
      String log = Files.readString(ChildJvm.stderrFile(child));
      assertTrue(log.contains("standing warm started: refresh-ahead"), log);
    } finally {
      Files.createFile(stopFile);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(stopFile);
    assertEquals(0, run.exitCode(), run.stderr());
  }

  @Test
  void aBadStandingOptionIsOneLineAndTheApplicationRunsOn() throws Exception {
    Path stopFile = Files.createTempFile("keywarm-stop", ".flag");
    Process child =
        ChildJvm.start(
            "app=it-standing-bad,redis=" + STATS.server().uri() + ",standing=refresh-behind",
            ClientLibraries.jedis(),
            List.of(),
            WarmedApp.class,
            CACHE.server().host(),
            Integer.toString(CACHE.server().port()),
            stopFile.toString()); // the stop file exists: the application ends at once
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(stopFile);
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("invalid option standing='refresh-behind'"), run.stderr());
  }
}
