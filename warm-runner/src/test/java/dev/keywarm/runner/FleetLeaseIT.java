package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.params.SetParams;

/** One warm per fleet: the lease in Redis. */
class FleetLeaseIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  PlanFixture fixture;

  @BeforeEach
  void clean() {
    REDIS.server().flushAll();
    fixture = new PlanFixture(REDIS.server().uri(), "shop");
    fixture.plan("g1", PlanFixture.ranked("k", 100), Map.of());
  }

  private WarmRunner runner(String instance, KeyLoader loader) {
    return WarmRunner.builder()
        .planSnapshot(null)
        .app("shop")
        .redis(REDIS.server().uri())
        .clock(PlanFixture.CLOCK)
        .serviceLoaders(false)
        .jmx(false)
        .instanceId(instance)
        .ratePerSecond(0)
        .lease(true, Duration.ofSeconds(5))
        .loader("*", loader)
        .build();
  }

  @Test
  void twoRunnersOneWarm() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch bothStarted = new CountDownLatch(1);
    KeyLoader loader =
        key -> {
          bothStarted.await(); // the first warm holds the lease until the second has tried
          loads.incrementAndGet();
          return LoadedValue.of(bytes("v"));
        };
    WarmHandle first = runner("a", loader).start();
    while (fixture.jedis.get(fixture.schema.warmLease()) == null && !first.isDone()) {
      Thread.sleep(5);
    }
    WarmResult second = runner("b", loader).run();
    bothStarted.countDown();
    WarmResult firstResult = first.await();

    assertEquals(WarmStatus.COMPLETED, firstResult.status());
    assertEquals(WarmStatus.LEASE_HELD, second.status());
    assertEquals(100, loads.get());
    assertNull(fixture.jedis.get(fixture.schema.warmLease()), "lease not released");
    assertEquals("a", fixture.jedis.hget(fixture.schema.warmLastResult(), "instance"));
  }

  @Test
  void aFollowerWaitsForTheLeaderAndReportsItsResult() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    WarmHandle leader =
        runner(
                "a",
                key -> {
                  release.await();
                  return LoadedValue.of(bytes("v"));
                })
            .start();
    while (fixture.jedis.get(fixture.schema.warmLease()) == null && !leader.isDone()) {
      Thread.sleep(5);
    }
    AtomicInteger followerLoads = new AtomicInteger();
    WarmHandle follower =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .serviceLoaders(false)
            .jmx(false)
            .instanceId("b")
            .lease(true, Duration.ofSeconds(5))
            .awaitLeader(true)
            .loader(
                "*",
                key -> {
                  followerLoads.incrementAndGet();
                  return LoadedValue.of(bytes("v"));
                })
            .build()
            .start();
    while (follower.progress().state().equals("planning") && !follower.isDone()) {
      Thread.sleep(5); // until the follower has met the held lease
    }
    release.countDown();
    WarmResult leaderResult = leader.await();
    WarmResult followed = follower.await();

    assertEquals(WarmStatus.COMPLETED, leaderResult.status());
    assertEquals(WarmStatus.FOLLOWED_LEADER, followed.status());
    assertEquals(100, followed.progress().warmed());
    assertEquals(1.0, followed.expectedCoverage(), 1e-9);
    assertEquals("leader a", followed.planSource());
    assertEquals(0, followerLoads.get());
    assertTrue(followed.reached(0.95));
  }

  @Test
  void aCrashedHoldersLeaseExpires() throws Exception {
    fixture.jedis.set(fixture.schema.warmLease(), "crashed", SetParams.setParams().px(300));
    KeyLoader loader = key -> LoadedValue.of(bytes("v"));

    assertEquals(WarmStatus.LEASE_HELD, runner("a", loader).run().status());
    while (fixture.jedis.exists(fixture.schema.warmLease())) {
      Thread.sleep(20);
    }
    assertEquals(WarmStatus.COMPLETED, runner("a", loader).run().status());
  }

  @Test
  void aLeaseTakenOverByAnotherInstanceIsNotReleased() {
    AtomicInteger loads = new AtomicInteger();
    KeyLoader loader =
        key -> {
          if (loads.incrementAndGet() == 1) { // our lease expired meanwhile and "other" took it
            fixture.jedis.set(fixture.schema.warmLease(), "other");
          }
          return LoadedValue.of(bytes("v"));
        };
    runner("a", loader).run();
    assertEquals("other", fixture.jedis.get(fixture.schema.warmLease()));
  }

  @Test
  void theLeaseIsRenewedWhileWarming() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    WarmHandle handle =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .serviceLoaders(false)
            .jmx(false)
            .instanceId("a")
            .lease(true, Duration.ofMillis(900))
            .loader(
                "*",
                key -> {
                  release.await();
                  return LoadedValue.of(bytes("v"));
                })
            .build()
            .start();
    String lease = fixture.schema.warmLease();
    while (fixture.jedis.get(lease) == null && !handle.isDone()) {
      Thread.sleep(5);
    }
    // without renewal the remaining TTL only falls until the key expires; a renewal raises it
    long last = fixture.jedis.pttl(lease);
    boolean renewed = false;
    while (!renewed) {
      Thread.sleep(20);
      long now = fixture.jedis.pttl(lease);
      assertTrue(now > 0, "lease expired while warming");
      renewed = now > last;
      last = now;
    }
    assertEquals("a", fixture.jedis.get(lease));
    release.countDown();
    handle.await();
    assertNull(fixture.jedis.get(lease));
  }
}
