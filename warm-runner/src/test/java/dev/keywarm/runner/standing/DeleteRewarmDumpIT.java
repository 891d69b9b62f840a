package dev.keywarm.runner.standing;

import static dev.keywarm.runner.standing.StandingFixture.NOW;
import static dev.keywarm.runner.standing.StandingFixture.await;
import static dev.keywarm.runner.standing.StandingFixture.bytes;
import static dev.keywarm.runner.standing.StandingFixture.fixed;
import static dev.keywarm.runner.standing.StandingFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.rewarm.DeleteRewarm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The re-warm on delete writes a dump only with a TTL, as it writes values (NxWrite). */
class DeleteRewarmDumpIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  @Test
  void aDumpWithoutATtlIsNotWrittenOneWithATtlIs() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publish(Map.of(10, List.of("dump:none", "dump:ttl")), List.of());
      fixture.cache.set("source", "copied");
      byte[] payload = fixture.cache.dump(bytes("source"));
      List<String> loads = new CopyOnWriteArrayList<>();
      try (DeleteRewarm rewarm =
          fixture
              .runner("a", fixed(NOW))
              .loader(
                  "dump:*",
                  key -> {
                    loads.add(string(key));
                    return LoadedValue.dump(
                        payload, string(key).equals("dump:ttl") ? Duration.ofMinutes(1) : null);
                  })
              .build()
              .rewarmOnDelete(Duration.ZERO)) {
        Thread.sleep(300); // the hot set read
        rewarm.accept(bytes("dump:none"));
        rewarm.accept(bytes("dump:ttl"));
        await("dump:ttl re-warmed", () -> fixture.cache.get("dump:ttl") != null);
        assertEquals(List.of("dump:none", "dump:ttl"), loads);
        assertFalse(fixture.cache.exists("dump:none"), "RESTORE with 0 would never expire");
        long ttl = fixture.cache.pttl("dump:ttl");
        assertTrue(ttl > 0 && ttl <= 60_000, "the dump's TTL: " + ttl);
        assertEquals(1, rewarm.rewarmed());
      }
    }
  }
}
