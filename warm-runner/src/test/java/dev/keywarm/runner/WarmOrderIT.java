package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static dev.keywarm.runner.PlanFixture.names;
import static dev.keywarm.runner.PlanFixture.ranked;
import static dev.keywarm.runner.PlanFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which keys are warmed, in which order, with which TTL, within which budget. */
class WarmOrderIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  PlanFixture fixture;

  @BeforeEach
  void clean() {
    REDIS.server().flushAll();
    fixture = new PlanFixture(REDIS.server().uri(), "shop");
  }

  /** Records the order of load calls; value = "v:" + key. */
  static final class RecordingLoader implements KeyLoader {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public LoadedValue load(byte[] key) {
      calls.add(string(key));
      return LoadedValue.of(bytes("v:" + string(key)));
    }
  }

  private WarmRunner.Builder runner(RecordingLoader loader) {
    return WarmRunner.builder()
        .planSnapshot(null)
        .app("shop")
        .redis(REDIS.server().uri())
        .clock(PlanFixture.CLOCK)
        .concurrency(1)
        .ratePerSecond(0)
        .serviceLoaders(false)
        .jmx(false)
        .loader("*", loader);
  }

  @Test
  void hourPlanThenOverallThenCorrelatedKeysAboveTheLiftThreshold() {
    fixture.plan("g1", ranked("h", 5), ranked("o", 5));
    fixture.jedis.zadd(fixture.schema.planOverall("g1"), 100, "h0"); // already planned via the hour
    fixture.pair("g1", "h0", "p-strong", 5.0);
    fixture.pair("g1", "h1", "p-weak", 1.5);
    fixture.pair("g1", "never-loaded", "p-orphan", 9.0);
    RecordingLoader loader = new RecordingLoader();

    WarmResult result = runner(loader).minPairLift(2.0).build().run();

    List<String> expected = new ArrayList<>(names("h", 5));
    expected.addAll(names("o", 5));
    expected.add("p-strong");
    assertEquals(expected, loader.calls);
    assertEquals(WarmStatus.COMPLETED, result.status());
    assertEquals(11, result.progress().planned());
    assertEquals(11, result.progress().warmed());
    assertEquals(1.0, result.expectedCoverage(), 1e-9);
    assertEquals("v:o3", fixture.jedis.get("o3"));
    assertEquals("plan g1", result.planSource());
  }

  @Test
  void nextHourComesLastWhenAsked() {
    fixture.plan("g1", ranked("h", 2), Map.of());
    fixture.nextHourPlan("g1", ranked("n", 2));
    RecordingLoader loader = new RecordingLoader();

    runner(loader).nextHour(true).build().run();

    assertEquals(List.of("h0", "h1", "n0", "n1"), loader.calls);
  }

  @Test
  void withoutAPlanRanksByHitsPlusMissesOfTheLastDaysThisHourOfDayFirst() {
    fixture.hourly(0, HourlySet.HITS, "now-a", 5);
    fixture.hourly(24, HourlySet.MISSES, "now-a", 1); // same hour of day yesterday: 6 reads
    fixture.hourly(0, HourlySet.HITS, "now-b", 3);
    fixture.hourly(2, HourlySet.HITS, "other-x", 50);
    fixture.hourly(3, HourlySet.MISSES, "other-y", 20);
    fixture.hourly(3, HourlySet.HITS, "other-y", 40); // 60 reads in total: before other-x
    fixture.hourly(2, HourlySet.WRITES, "write-only", 1000); // writes are not reads
    fixture.hourly(24 * 7 + 1, HourlySet.HITS, "too-old", 1000);
    RecordingLoader loader = new RecordingLoader();

    WarmResult result = runner(loader).historyDays(7).build().run();

    assertEquals(List.of("now-a", "now-b", "other-y", "other-x"), loader.calls);
    assertTrue(result.planSource().contains("no plan"), result.planSource());
  }

  @Test
  void maxKeysKeepsTheHottest() {
    fixture.plan("g1", ranked("h", 50), Map.of());
    RecordingLoader loader = new RecordingLoader();

    WarmResult result = runner(loader).maxKeys(10).build().run();

    assertEquals(names("h", 10), loader.calls);
    assertEquals(10, result.progress().warmed());
  }

  @Test
  void maxBytesStopsLoadingOnceReached() {
    fixture.plan("g1", ranked("h", 50), Map.of());
    RecordingLoader loader = new RecordingLoader(); // "v:hN": 4-5 bytes each

    WarmResult result = runner(loader).maxBytes(20).build().run();

    assertEquals(WarmStatus.BUDGET_REACHED, result.status());
    assertEquals(names("h", 5), loader.calls);
    assertTrue(result.expectedCoverage() < 1.0);
  }

  @Test
  void ttlFromLoaderElsePatternElseDefault() {
    fixture.plan("g1", Map.of("own:1", 3.0, "pat:1", 2.0, "def:1", 1.0, "none:1", 0.5), Map.of());
    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .serviceLoaders(false)
            .jmx(false)
            .loader(
                "own:*",
                key -> LoadedValue.of(bytes("x"), Duration.ofSeconds(100)),
                Duration.ofSeconds(5000))
            .loader("pat:*", key -> LoadedValue.of(bytes("x")), Duration.ofSeconds(200))
            .loader("def:*", key -> LoadedValue.of(bytes("x")))
            .defaultTtl(Duration.ofSeconds(300))
            .ttlJitter(0) // exact TTLs: this test is about which one applies
            .build()
            .run();
    assertEquals(3, result.progress().warmed());
    assertEquals(1, result.progress().noLoader());
    assertTrue(between(fixture.jedis.ttl("own:1"), 90, 100));
    assertTrue(between(fixture.jedis.ttl("pat:1"), 190, 200));
    assertTrue(between(fixture.jedis.ttl("def:1"), 290, 300));
    assertNull(fixture.jedis.get("none:1"));
  }

  @Test
  void serviceLoaderProvidersAreFound() {
    fixture.plan("g1", Map.of("svc:1", 2.0, "svc:2", 1.0), Map.of());
    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .jmx(false)
            .build()
            .run();
    assertEquals(2, result.progress().warmed());
    assertEquals("from-service-loader:svc:2", fixture.jedis.get("svc:2"));
  }

  @Test
  void cancelStopsDispatching() throws Exception {
    fixture.plan("g1", ranked("h", 100), Map.of());
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    RecordingLoader recorder = new RecordingLoader();
    WarmHandle handle =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .concurrency(1)
            .ratePerSecond(0)
            .serviceLoaders(false)
            .jmx(false)
            .loader(
                "*",
                key -> {
                  entered.countDown();
                  release.await();
                  return recorder.load(key);
                })
            .build()
            .start();
    entered.await();
    handle.cancel();
    release.countDown();
    WarmResult result = handle.await();

    assertEquals(WarmStatus.CANCELLED, result.status());
    assertTrue(
        recorder.calls.size() < 100, "kept dispatching after cancel: " + recorder.calls.size());
  }

  @Test
  void resultRecordIsStoredInRedis() {
    fixture.plan("g1", ranked("h", 3), Map.of());
    runner(new RecordingLoader()).build().run();
    Map<String, String> stored = fixture.jedis.hgetAll(fixture.schema.warmLastResult());
    assertEquals("completed", stored.get("status"));
    assertEquals("3", stored.get("warmed"));
    assertEquals("3", stored.get("planned"));
    assertEquals("1.0000", stored.get("expected_coverage"));
  }

  private static boolean between(long value, long lo, long hi) {
    return value >= lo && value <= hi;
  }

  @Test
  void loadedExpiriesAreSpreadSoThatNoSecondHoldsTheirHerd() {
    int keys = 5_000;
    Map<String, Double> plan = new java.util.HashMap<>();
    for (int i = 0; i < keys; i++) {
      plan.put("ttl:" + i, (double) (keys - i));
    }
    fixture.plan("g1", plan, Map.of());
    long ttlMillis = 600_000;
    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .ratePerSecond(0)
            .serviceLoaders(false)
            .jmx(false)
            .loader("ttl:*", key -> LoadedValue.of(bytes("x"), Duration.ofMillis(ttlMillis)))
            .maxKeys(keys)
            .build()
            .run();
    assertEquals(keys, result.progress().warmed());
    long now = System.currentTimeMillis();
    Map<Long, Integer> perSecond = new java.util.HashMap<>();
    try (var pipeline = fixture.jedis.pipelined()) {
      List<redis.clients.jedis.Response<Long>> ttls = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        ttls.add(pipeline.pttl("ttl:" + i));
      }
      pipeline.sync();
      for (var reply : ttls) {
        long ttl = reply.get();
        assertTrue(ttl > 0.8 * ttlMillis - 5_000 && ttl <= ttlMillis, "TTL " + ttl);
        perSecond.merge((now + ttl) / 1000, 1, Integer::sum);
      }
    }
    int busiest = perSecond.values().stream().max(Integer::compare).orElse(0);
    // spread over ~120 s: ~42 a second on average; a herd would put all 5 000 in one or two
    assertTrue(busiest <= keys / 50, "busiest second holds " + busiest + " of " + keys);
  }

  @Test
  void aValueWithoutLoaderTtlGetsTheTtlTheApplicationGaveItsKey() {
    fixture.plan(
        "g1", Map.of("obs:1", 4.0, "obs:none", 3.0, "obs:unseen", 2.0, "own:1", 1.0), Map.of());
    // what the agent recorded an hour ago: obs:1 written with a 120 s TTL, obs:none without one
    String ttls =
        dev.keywarm.schema.KeySchema.forApp("shop")
            .ttls(dev.keywarm.schema.HourBucket.of(PlanFixture.NOW).plusHours(-1));
    fixture.jedis.zadd(ttls, Map.of("obs:1", 120.0, "obs:none", -1.0, "own:1", 120.0));
    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .serviceLoaders(false)
            .jmx(false)
            .loader("own:*", key -> LoadedValue.of(bytes("x"), Duration.ofSeconds(50)))
            .loader("obs:*", key -> LoadedValue.of(bytes("x")))
            .defaultTtl(Duration.ofSeconds(3600))
            .build()
            .run();
    assertEquals(4, result.progress().warmed());
    long observed = fixture.jedis.ttl("obs:1");
    assertTrue(observed >= 95 && observed <= 120, "the application's 120 s, jittered: " + observed);
    assertEquals(-1, fixture.jedis.ttl("obs:none"), "written without TTL: warmed without");
    long unseen = fixture.jedis.ttl("obs:unseen");
    assertTrue(unseen >= 2879 && unseen <= 3600, "never seen written: the default, " + unseen);
    long own = fixture.jedis.ttl("own:1");
    assertTrue(own >= 39 && own <= 50, "the loader's own TTL comes first: " + own);
  }

  @Test
  void thePlansTtlComesAfterTheKeysOwnObservedTtlAndBeforeTheConfiguredOne() {
    fixture.plan(
        "g2",
        Map.of("plan:1", 4.0, "plan:none", 3.0, "plan:fresh", 2.0, "plan:unknown", 1.0),
        Map.of());
    // the analyzer's choice per key (ms): a pattern's 200 s, none, and 300 s
    fixture.jedis.zadd(
        dev.keywarm.schema.KeySchema.forApp("shop").planTtls("g2"),
        Map.of("plan:1", 200_000.0, "plan:none", -1.0, "plan:fresh", 300_000.0));
    // ... but the agent saw plan:fresh written with 100 s since: the newer word on the key wins
    fixture.jedis.zadd(
        dev.keywarm.schema.KeySchema.forApp("shop")
            .ttls(dev.keywarm.schema.HourBucket.of(PlanFixture.NOW)),
        Map.of("plan:fresh", 100.0));
    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .serviceLoaders(false)
            .jmx(false)
            .loader("plan:*", key -> LoadedValue.of(bytes("x")))
            .ttlFor("plan:unknown", Duration.ofSeconds(400))
            .defaultTtl(Duration.ofSeconds(3600))
            .ttlJitter(0)
            .build()
            .run();
    assertEquals(4, result.progress().warmed());
    assertTrue(between(fixture.jedis.ttl("plan:1"), 190, 200), "the plan's TTL");
    assertEquals(-1, fixture.jedis.ttl("plan:none"), "the plan says none: warmed without");
    assertTrue(between(fixture.jedis.ttl("plan:fresh"), 90, 100), "the key's own, newer TTL");
    assertTrue(between(fixture.jedis.ttl("plan:unknown"), 390, 400), "the configured TTL");
  }
}
