package dev.keywarm.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.runner.plan.PlanSnapshot;
import dev.keywarm.runner.plan.WarmPlan;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the stats live in the cache Redis and it restarts, the plan is gone with it: the next warm
 * uses the local snapshot of the last plan.
 */
class PlanSnapshotTest {

  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  @TempDir
  Path dir;

  @Test
  void aWarmAfterTheStatsWereLostUsesTheSnapshot() throws Exception {
    REDIS.server().flushAll();
    PlanFixture fixture = new PlanFixture(REDIS.server().uri(), "snap");
    fixture.plan("g1", PlanFixture.ranked("h", 3), PlanFixture.ranked("o", 3));
    Path snapshot = dir.resolve("snap.plan");
    WarmRunner.Builder runner = WarmRunner.builder().app("snap").redis(REDIS.server().uri())
        .clock(PlanFixture.CLOCK).ratePerSecond(0).serviceLoaders(false).jmx(false)
        .planSnapshot(snapshot)
        .loader("*", key -> LoadedValue.of(("v:" + new String(key, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8)));

    assertEquals(6, runner.build().run().warmed());
    assertTrue(Files.isRegularFile(snapshot));

    REDIS.server().flushAll(); // the cache Redis restarted, with the plan in it
    WarmResult again = runner.build().run();
    assertEquals(6, again.warmed(), again.summary());
    assertEquals("v:h0", REDIS.server().command("GET", "h0"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void roundTripsAPlanAndKnowsAMissingOne() throws Exception {
    Path file = dir.resolve("none.plan");
    assertNull(PlanSnapshot.load(file));
    WarmPlan plan = new WarmPlan("plan g7",
        java.util.List.of(new PlanEntry(new byte[] {0, (byte) 0xFF}, 3.5, PlanEntry.Source.HOUR)),
        dev.keywarm.runner.plan.PairIndex.EMPTY, java.util.List.of(), 0.87);
    PlanSnapshot.save(plan, file);
    WarmPlan loaded = PlanSnapshot.load(file);
    assertEquals("snapshot of plan g7", loaded.source());
    assertEquals(0.87, loaded.planExpectedCoverage());
    assertEquals(3.5, loaded.primary().get(0).weight());
    assertEquals(0xFF, loaded.primary().get(0).key()[1] & 0xFF);
  }
}
