package dev.keywarm.runner.standing;

import static dev.keywarm.runner.standing.StandingFixture.NOW;
import static dev.keywarm.runner.standing.StandingFixture.await;
import static dev.keywarm.runner.standing.StandingFixture.bytes;
import static dev.keywarm.runner.standing.StandingFixture.fixed;
import static dev.keywarm.runner.standing.StandingFixture.settings;
import static dev.keywarm.runner.standing.StandingFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** scheduled against real servers. */
class ScheduledWarmIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  @Test
  void theTopKeysAreRewarmedWithNxEveryIntervalAndExistingValuesAreKept() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publish(Map.of(10, List.of("top:0", "top:1")), List.of("top:2", "top:3", "top:4"));
      fixture.cache.set("top:0", "app-value");
      List<String> loads = new CopyOnWriteArrayList<>();
      try (StandingWarm standing =
          fixture
              .runner("a", fixed(NOW))
              .loader(
                  "*",
                  key -> {
                    loads.add(string(key));
                    return LoadedValue.of(bytes("loaded:" + string(key)));
                  })
              .build()
              .standingWarm(
                  settings(
                      "standing", "scheduled", "scheduledevery", "500ms", "scheduledkeys", "3"))) {
        await("top:2 loaded", () -> "loaded:top:2".equals(fixture.cache.get("top:2")));
        assertEquals("loaded:top:1", fixture.cache.get("top:1"));
        assertEquals("app-value", fixture.cache.get("top:0"), "present: untouched");
        assertEquals(-1, fixture.cache.pttl("top:0"));
        assertNull(fixture.cache.get("top:3"), "beyond the top 3");
        assertEquals(List.of("top:1", "top:2"), loads);

        fixture.cache.del("top:1"); // evicted: the next round brings it back
        fixture.cache.set("top:2", "app-refill");
        await("top:1 back", () -> "loaded:top:1".equals(fixture.cache.get("top:1")));
        assertEquals("app-refill", fixture.cache.get("top:2"));
        assertEquals("app-value", fixture.cache.get("top:0"));
        assertEquals(List.of("top:1", "top:2", "top:1"), loads);
        assertTrue(
            standing.stats(StandingTechnique.SCHEDULED).rounds() >= 2,
            "a round every 500 ms: " + standing.stats(StandingTechnique.SCHEDULED));
      }
    }
  }

  @Test
  void keysOfOneLoaderAreLoadedInBatchesOfItsSizeOneRateTokenPerCall() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      List<String> top = new java.util.ArrayList<>();
      for (int i = 0; i < 25; i++) {
        top.add("top:" + i);
      }
      fixture.publish(Map.of(10, top), List.of());
      List<Integer> calls = new CopyOnWriteArrayList<>();
      KeyLoader batched =
          new KeyLoader() {
            @Override
            public LoadedValue load(byte[] key) {
              calls.add(1);
              return LoadedValue.of(bytes("loaded:" + string(key)));
            }

            @Override
            public List<LoadedValue> loadAll(List<byte[]> keys) {
              calls.add(keys.size());
              List<LoadedValue> values = new java.util.ArrayList<>();
              keys.forEach(k -> values.add(LoadedValue.of(bytes("loaded:" + string(k)))));
              return values;
            }

            @Override
            public int batchSize() {
              return 10;
            }
          };
      try (StandingWarm standing =
          fixture
              .runner("a", fixed(NOW))
              .loader("*", batched)
              .build()
              .standingWarm(
                  settings("standing", "scheduled", "scheduledkeys", "25", "standingrate", "2"))) {
        await("all 25 loaded", () -> standing.stats(StandingTechnique.SCHEDULED).loaded() == 25);
        assertEquals(List.of(10, 10, 5), calls, "three calls, as a warm makes them");
        assertEquals("loaded:top:24", fixture.cache.get("top:24"));
      }
    }
  }

  @Test
  void interleavedKeysOfTwoLoadersStillGoInFullBatches() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      List<String> top = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        top.add("a:" + i); // a plan ranks two patterns' keys in turn
        top.add("b:" + i);
      }
      fixture.publish(Map.of(10, top), List.of());
      List<String> calls = new CopyOnWriteArrayList<>();
      try (StandingWarm standing =
          fixture
              .runner("a", fixed(NOW))
              .loader("a:*", counting("a", calls))
              .loader("b:*", counting("b", calls))
              .build()
              .standingWarm(
                  settings("standing", "scheduled", "scheduledkeys", "20", "standingrate", "2"))) {
        await("all 20 loaded", () -> standing.stats(StandingTechnique.SCHEDULED).loaded() == 20);
        assertEquals(List.of("a×10", "b×10"), calls, "one call per loader, not one per key");
      }
    }
  }

  /** A loader of batches of 10 that notes each call as {@code name×keys}. */
  private static KeyLoader counting(String name, List<String> calls) {
    return new KeyLoader() {
      @Override
      public LoadedValue load(byte[] key) {
        return loadAll(List.of(key)).get(0);
      }

      @Override
      public List<LoadedValue> loadAll(List<byte[]> keys) {
        calls.add(name + "×" + keys.size());
        List<LoadedValue> values = new java.util.ArrayList<>();
        keys.forEach(k -> values.add(LoadedValue.of(bytes("loaded:" + string(k)))));
        return values;
      }

      @Override
      public int batchSize() {
        return 10;
      }
    };
  }
}
