package dev.keywarm.runner.standing;

import static dev.keywarm.runner.standing.StandingFixture.NOW;
import static dev.keywarm.runner.standing.StandingFixture.await;
import static dev.keywarm.runner.standing.StandingFixture.bytes;
import static dev.keywarm.runner.standing.StandingFixture.fixed;
import static dev.keywarm.runner.standing.StandingFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One standing warm per fleet: the standing lease. */
class StandingLeaseIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  @Test
  void onlyTheLeaseHolderWorksAndAnotherTakesOverWhenItStops() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publish(Map.of(10, List.of("k:0", "k:1", "k:2")), List.of());
      StandingSettings scheduled = settings("standing", "scheduled", "scheduledevery", "200ms");
      AtomicInteger loadsOfA = new AtomicInteger();
      AtomicInteger loadsOfB = new AtomicInteger();
      StandingWarm a = service(fixture, "a", loadsOfA, scheduled);
      StandingWarm b = service(fixture, "b", loadsOfB, scheduled);
      try {
        await("k:2 loaded", () -> fixture.cache.get("k:2") != null);
        Thread.sleep(600); // three more rounds of whoever holds the lease
        assertNotEquals(a.isLeaseHolder(), b.isLeaseHolder(), "exactly one holder");
        StandingWarm holder = a.isLeaseHolder() ? a : b;
        StandingWarm other = holder == a ? b : a;
        AtomicInteger holderLoads = holder == a ? loadsOfA : loadsOfB;
        AtomicInteger otherLoads = holder == a ? loadsOfB : loadsOfA;
        assertEquals(3, holderLoads.get());
        assertEquals(0, otherLoads.get(), "the other instance loads nothing");
        assertEquals(0, other.stats(StandingTechnique.SCHEDULED).rounds());
        assertEquals(holder.getInstance(), fixture.stats.get(fixture.schema.standingLease()));

        holder.close(); // releases the lease
        assertNotEquals(
            holder.getInstance(),
            fixture.stats.get(fixture.schema.standingLease()),
            "deleted at close, not left to expire");
        fixture.cache.del("k:0", "k:1", "k:2");
        await("k:0 back", () -> fixture.cache.get("k:0") != null);
        await("k:2 back", () -> fixture.cache.get("k:2") != null);
        assertEquals(3, holderLoads.get(), "a closed service loads nothing");
        assertEquals(3, otherLoads.get());
        assertEquals(other.getInstance(), fixture.stats.get(fixture.schema.standingLease()));
      } finally {
        a.close();
        b.close();
      }
    }
  }

  @Test
  void aHolderThatSeesAnotherHolderStopsAtItsNextRenewalAndTakesAFreeLeaseAgain() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publish(Map.of(10, List.of("k:0")), List.of());
      StandingWarm a =
          service(
              fixture,
              "a",
              new AtomicInteger(),
              settings("standing", "scheduled", "scheduledevery", "200ms"));
      try {
        await("a holds the lease", a::isLeaseHolder);
        // the lease expired while a could not renew, and x took it
        fixture.stats.set(
            fixture.schema.standingLease(),
            "x",
            redis.clients.jedis.params.SetParams.setParams().px(60_000));
        await("a sees x", () -> !a.isLeaseHolder());
        assertEquals("x", fixture.stats.get(fixture.schema.standingLease()), "x's lease untouched");
        fixture.stats.del(fixture.schema.standingLease());
        await("a takes the free lease again", a::isLeaseHolder);
      } finally {
        a.close();
      }
      assertEquals(null, fixture.stats.get(fixture.schema.standingLease()));
    }
  }

  private static StandingWarm service(
      StandingFixture fixture, String instance, AtomicInteger loads, StandingSettings settings) {
    return fixture
        .runner(instance, fixed(NOW))
        .loader(
            "*",
            key -> {
              loads.incrementAndGet();
              return LoadedValue.of(bytes(instance));
            })
        .build()
        .standingWarm(settings);
  }
}
