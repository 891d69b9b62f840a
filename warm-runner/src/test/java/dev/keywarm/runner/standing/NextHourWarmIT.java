package dev.keywarm.runner.standing;

import static dev.keywarm.runner.standing.StandingFixture.await;
import static dev.keywarm.runner.standing.StandingFixture.bytes;
import static dev.keywarm.runner.standing.StandingFixture.settings;
import static dev.keywarm.runner.standing.StandingFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServerExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** next-hour against real servers, with a clock the test moves instead of waiting for an hour. */
class NextHourWarmIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  @Test
  void theComingHoursPlanIsLoadedTheLeadBeforeTheHourAndPresentKeysAreLeftAlone() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publish(
          Map.of(10, List.of("now:0"), 11, List.of("next:0", "next:1", "next:2", "next:short")),
          List.of("overall:0"));
      fixture.cache.set("next:1", "app-value");
      // a minute's TTL, loaded 4.5 min before 11:00, would be gone by then
      fixture.observedTtl("next:short", 60, Instant.parse("2026-11-23T10:50:00Z"));
      StandingFixture.MovableClock clock =
          new StandingFixture.MovableClock(Instant.parse("2026-11-23T10:50:00Z"));
      List<String> loads = new CopyOnWriteArrayList<>();
      List<Instant> loadedAt = new CopyOnWriteArrayList<>();
      try (StandingWarm standing =
          fixture
              .runner("a", clock)
              .loader(
                  "*",
                  key -> {
                    loads.add(string(key));
                    loadedAt.add(clock.instant());
                    return LoadedValue.of(bytes("loaded:" + string(key)));
                  })
              .build()
              .standingWarm(settings("standing", "next-hour", "nexthourlead", "5m"))) {
        await("the lease", standing::isLeaseHolder);
        Thread.sleep(500); // 10:50: ten minutes before the hour, five before the lead
        assertEquals(List.of(), loads, "not before the lead");

        clock.set(Instant.parse("2026-11-23T10:55:30Z"));
        await("next:2 loaded", () -> "loaded:next:2".equals(fixture.cache.get("next:2")));
        assertEquals("loaded:next:0", fixture.cache.get("next:0"));
        assertEquals("app-value", fixture.cache.get("next:1"), "present: untouched");
        assertEquals(List.of("next:0", "next:2"), loads, "present keys are not even loaded");
        for (Instant at : loadedAt) {
          assertTrue(at.isBefore(Instant.parse("2026-11-23T11:00:00Z")), "before the hour");
        }
        long ttl = fixture.cache.pttl("next:0");
        assertTrue(ttl > 0 && ttl <= 3_600_000, "the warm's TTL choice: " + ttl);
        assertNull(fixture.cache.get("now:0"), "this hour's plan is not next-hour's");
        assertNull(fixture.cache.get("overall:0"), "nor the overall plan");

        fixture.cache.del("next:0");
        Thread.sleep(300);
        assertNull(fixture.cache.get("next:0"), "once per hour");
        StandingTechniqueStatsAssert.counts(standing.stats(StandingTechnique.NEXT_HOUR), 1, 2, 1);
        assertEquals(1, standing.stats(StandingTechnique.NEXT_HOUR).ttlTooShort());
        assertNull(fixture.cache.get("next:short"), "not loaded: it would expire before 11:00");
        // scores 4, 3, 2, 1: next:0 and next:2 loaded
        assertEquals(0.6, standing.stats(StandingTechnique.NEXT_HOUR).coverageGained(), 1e-9);
      }
    }
  }
}
