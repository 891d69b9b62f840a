package dev.keywarm.runner.standing;

import static dev.keywarm.runner.standing.StandingFixture.NOW;
import static dev.keywarm.runner.standing.StandingFixture.await;
import static dev.keywarm.runner.standing.StandingFixture.bytes;
import static dev.keywarm.runner.standing.StandingFixture.fixed;
import static dev.keywarm.runner.standing.StandingFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServerExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service's life: outages, the lease's local deadline, a clean close. */
class StandingServiceIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  private static final ObjectName MBEAN = mbean();

  private static ObjectName mbean() {
    try {
      return new ObjectName("dev.keywarm:type=StandingWarm,app=\"shop\"");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aCacheRedisThatIsDownCostsBackedOffRoundsNeitherASpinNorAnException() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publish(Map.of(10, List.of("k:0")), List.of());
      AtomicInteger loads = new AtomicInteger();
      StandingWarm standing =
          fixture
              .runner("a", fixed(NOW))
              .redis("redis://127.0.0.1:" + StandingFixture.deadPort())
              .statsRedis(fixture.statsUri())
              .loader(
                  "*",
                  key -> {
                    loads.incrementAndGet();
                    return LoadedValue.of(bytes("v"));
                  })
              .build()
              .standingWarm(settings("standing", "scheduled"));
      try {
        await("the lease, from the stats Redis that is up", standing::isLeaseHolder);
        Thread.sleep(3_500);
        long failed = standing.getFailedRounds();
        assertTrue(failed >= 1 && failed <= 3, "1 s, 2 s, 4 s apart: " + failed);
        assertEquals(0, loads.get(), "nothing loaded for a cache it cannot reach");
        assertTrue(standing.isLeaseHolder(), "the lease is renewed on a connection of its own");
      } finally {
        standing.close();
      }
      assertNull(fixture.stats.get(fixture.schema.standingLease()));
    }
  }

  @Test
  void withTheStatsRedisDownNoInstanceHoldsTheLeaseAndCloseIsQuick() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      String dead = "redis://127.0.0.1:" + StandingFixture.deadPort();
      StandingWarm standing =
          fixture
              .runner("a", fixed(NOW))
              .statsRedis(dead)
              .loader("*", key -> LoadedValue.of(bytes("v")))
              .build()
              .standingWarm(settings("standing", "scheduled"));
      Thread.sleep(1_500);
      assertFalse(standing.isLeaseHolder());
      assertEquals(0, standing.getFailedRounds(), "a non-holder does no rounds");
      long started = System.nanoTime();
      standing.close();
      assertTrue(
          System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "close does not hang");
      await("no thread left", () -> StandingFixture.standingThreads().isEmpty());
    }
  }

  @Test
  void afterCloseNoThreadNoMBeanNoLeaseAndASecondCloseDoesNothing() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publish(Map.of(10, List.of("k:0")), List.of());
      StandingWarm standing =
          fixture
              .runner("a", fixed(NOW))
              .jmx(true)
              .loader("*", key -> LoadedValue.of(bytes("v")))
              .build()
              .standingWarm(settings("standing", "scheduled"));
      await("k:0 loaded", () -> fixture.cache.get("k:0") != null);
      assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(MBEAN));
      assertEquals("a", fixture.stats.get(fixture.schema.standingLease()));
      standing.close();
      assertNull(fixture.stats.get(fixture.schema.standingLease()), "the lease deleted");
      assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(MBEAN));
      await("no thread left", () -> StandingFixture.standingThreads().isEmpty());
      assertFalse(standing.isLeaseHolder());
      standing.close(); // idempotent
    }
  }

  @Test
  void closingAServiceThatWasReplacedLeavesTheNewOnesMBean() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      StandingWarm first =
          fixture
              .runner("a", fixed(NOW))
              .jmx(true)
              .loader("*", key -> LoadedValue.of(bytes("v")))
              .build()
              .standingWarm(settings("standing", "scheduled"));
      StandingWarm second =
          fixture
              .runner("b", fixed(NOW))
              .jmx(true)
              .loader("*", key -> LoadedValue.of(bytes("v")))
              .build()
              .standingWarm(settings("standing", "scheduled"));
      try {
        first.close();
        assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(MBEAN));
        assertEquals(
            "b", ManagementFactory.getPlatformMBeanServer().getAttribute(MBEAN, "Instance"));
      } finally {
        second.close();
      }
      assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(MBEAN));
    }
  }

  @Test
  void aLeaseShorterThanThreeRedisTimeoutsIsRefused() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  fixture
                      .runner("a", fixed(NOW))
                      .redisTimeout(Duration.ofSeconds(2))
                      .build()
                      .standingWarm(settings("standing", "scheduled")));
      assertEquals("standinglease must be at least 3 × the Redis timeout (6s): 3s", e.getMessage());
    }
  }
}
