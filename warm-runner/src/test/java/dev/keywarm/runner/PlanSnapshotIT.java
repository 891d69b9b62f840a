package dev.keywarm.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.runner.plan.PlanOptions;
import dev.keywarm.runner.plan.PlanSnapshot;
import dev.keywarm.runner.plan.WarmOrder;
import dev.keywarm.schema.KeySchema.PlanField;
import dev.keywarm.schema.plan.PlanMeta;
import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the stats live in the cache Redis and it restarts, the plan is gone with it: the next warm
 * uses the local snapshot of the last plan.
 */
class PlanSnapshotIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @TempDir Path dir;

  @Test
  void aWarmAfterTheStatsWereLostUsesTheSnapshot() throws Exception {
    REDIS.server().flushAll();
    PlanFixture fixture = new PlanFixture(REDIS.server().uri(), "snap");
    fixture.plan("g1", PlanFixture.ranked("h", 3), PlanFixture.ranked("o", 3));
    Path snapshot = dir.resolve("snap.plan");
    WarmRunner.Builder runner =
        WarmRunner.builder()
            .app("snap")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .ratePerSecond(0)
            .serviceLoaders(false)
            .jmx(false)
            .planSnapshot(snapshot)
            .loader(
                "*",
                key ->
                    LoadedValue.of(
                        ("v:" + new String(key, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8)));

    assertEquals(6, runner.build().run().progress().warmed());
    assertTrue(Files.isRegularFile(snapshot));

    REDIS.server().flushAll(); // the cache Redis restarted, with the plan in it
    WarmResult again = runner.build().run();
    assertEquals(6, again.progress().warmed(), again.summary());
    assertEquals("v:h0", REDIS.server().command("GET", "h0"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void roundTripsAPlanAndKnowsAMissingOne() throws Exception {
    Path file = dir.resolve("none.plan");
    assertNull(PlanSnapshot.load(file));
    WarmPlan plan =
        new WarmPlan(
            List.of(new WarmPlan.Entry(new byte[] {0, (byte) 0xFF}, 3.5)),
            List.of(),
            List.of(),
            PlanMeta.EMPTY
                .with(PlanField.GENERATION, "g7")
                .with(PlanField.EXPECTED_COVERAGE, 0.87));
    PlanSnapshot.save(plan, file);
    WarmPlan loaded = PlanSnapshot.load(file);
    assertEquals(plan, loaded);
    WarmOrder order =
        WarmOrder.of(loaded, "snapshot of " + WarmOrder.describe(loaded), 10, OPTIONS);
    assertEquals("snapshot of plan g7", order.source());
    assertEquals(0.87, order.planExpectedCoverage());
    assertEquals(3.5, order.primary().get(0).weight());
    assertEquals(0xFF, order.primary().get(0).key()[1] & 0xFF);
  }

  @Test
  void aSnapshotUsedAtAnotherHourOfDayIsOrderedForThatHour() {
    List<List<WarmPlan.Entry>> hours = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      hours.add(
          h == 10 ? List.of(entry("ten", 5)) : h == 11 ? List.of(entry("eleven", 4)) : List.of());
    }
    WarmPlan plan =
        new WarmPlan(List.of(entry("all", 9), entry("ten", 8)), hours, List.of(), PlanMeta.EMPTY);
    assertEquals(List.of("ten", "all"), keys(WarmOrder.of(plan, "s", 10, OPTIONS).primary()));
    assertEquals(
        List.of("eleven", "all", "ten"), keys(WarmOrder.of(plan, "s", 11, OPTIONS).primary()));
    assertEquals(List.of("all", "ten"), keys(WarmOrder.of(plan, "s", 3, OPTIONS).primary()));
  }

  private static final PlanOptions OPTIONS = new PlanOptions(100, 7, 2.0, false);

  private static WarmPlan.Entry entry(String key, double score) {
    return new WarmPlan.Entry(key.getBytes(StandardCharsets.UTF_8), score);
  }

  private static List<String> keys(List<PlanEntry> entries) {
    return entries.stream().map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList();
  }
}
