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
import dev.keywarm.runner.loading.HttpTemplateLoader;
import dev.keywarm.testsupport.RedisServerExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.params.SetParams;

/**
 * refresh-ahead against real servers: the hot keys' observed TTL is 100 s, so with {@code
 * refreshbelow=0.1} a key with less than 10 s left is due.
 */
class RefreshAheadIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  StandingFixture fixture;
  final List<String> loads = new CopyOnWriteArrayList<>();
  final List<Long> loadNanos = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    fixture = new StandingFixture(STATS, CACHE);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private void hot(List<String> keys) {
    fixture.publish(Map.of(10, keys), List.of());
    for (String key : keys) {
      fixture.observedTtl(key, 100, NOW);
    }
  }

  private KeyLoader freshValues() {
    return key -> {
      loads.add(string(key));
      loadNanos.add(System.nanoTime());
      return LoadedValue.of(bytes("new:" + string(key)));
    };
  }

  private StandingWarm start(KeyLoader loader, boolean jmx, String... options) {
    String[] all = new String[options.length + 4];
    System.arraycopy(
        new String[] {"standing", "refresh-ahead", "refreshcheck", "100ms"}, 0, all, 0, 4);
    System.arraycopy(options, 0, all, 4, options.length);
    return fixture
        .runner("a", fixed(NOW))
        .jmx(jmx)
        .callTimeout(Duration.ofSeconds(5))
        .loader("*", loader)
        .build()
        .standingWarm(settings(all));
  }

  @Test
  void aHotKeyNearItsExpiryIsReloadedWithAFreshTtl() throws Exception {
    hot(List.of("hot:0", "hot:1"));
    fixture.cache.set("hot:0", "old", SetParams.setParams().px(5_000));
    fixture.cache.set("hot:1", "old", SetParams.setParams().px(60_000)); // not due
    try (StandingWarm standing = start(freshValues(), true)) {
      await("hot:0 refreshed", () -> "new:hot:0".equals(fixture.cache.get("hot:0")));
      long ttl = fixture.cache.pttl("hot:0");
      assertTrue(ttl > 79_000 && ttl <= 100_000, "the observed 100 s, less the jitter: " + ttl);
      Thread.sleep(300); // three more checks
      assertEquals("old", fixture.cache.get("hot:1"), "plenty of TTL left: not refreshed");
      assertEquals(List.of("hot:0"), loads);
      assertEquals(1, standing.stats(StandingTechnique.REFRESH_AHEAD).loaded());
      CompositeData jmx =
          (CompositeData)
              ManagementFactory.getPlatformMBeanServer()
                  .getAttribute(
                      new ObjectName("dev.keywarm:type=StandingWarm,app=\"shop\""), "RefreshAhead");
      assertEquals(1L, jmx.get("loaded"));
      assertEquals(1L, standing.get().get("refresh-ahead.loaded"));
    }
  }

  @Test
  void anApplicationWriteWhileTheLoaderRunsIsNeverOverwritten() throws Exception {
    List<String> keys =
        List.of(
            "hot:new-value",
            "hot:same-value-longer",
            "hot:same-value-shorter",
            "hot:pexpire-shorter",
            "hot:deleted-and-set-again",
            "hot:deleted");
    hot(keys);
    for (String key : keys) {
      fixture.cache.set(key, "old", SetParams.setParams().px(5_000));
    }
    BlockingQueue<String> entered = new LinkedBlockingQueue<>();
    Semaphore release = new Semaphore(0);
    KeyLoader blocking =
        key -> {
          entered.add(string(key));
          release.acquire();
          return LoadedValue.of(bytes("loader-value"));
        };
    try (StandingWarm standing = start(blocking, false)) {
      for (int i = 0; i < keys.size(); i++) {
        String key = entered.poll(10, TimeUnit.SECONDS);
        switch (key) { // the application's write while the loader produces the refresh
          case "hot:new-value" -> fixture.cache.set(key, "app-value");
          case "hot:same-value-longer" ->
              fixture.cache.set(key, "old", SetParams.setParams().px(60_000));
          case "hot:same-value-shorter" ->
              fixture.cache.set(key, "old", SetParams.setParams().px(2_000));
          case "hot:pexpire-shorter" -> fixture.cache.pexpire(key, 3_000);
          case "hot:deleted-and-set-again" -> {
            long left = fixture.cache.pttl(key);
            fixture.cache.del(key);
            fixture.cache.set(key, "old", SetParams.setParams().px(left + 50));
          }
          default -> fixture.cache.del(key);
        }
        release.release();
      }
      await(
          "six refreshes declined",
          () -> standing.stats(StandingTechnique.REFRESH_AHEAD).applicationWroteFirst() == 6);
      assertEquals("app-value", fixture.cache.get("hot:new-value"));
      assertEquals(-1, fixture.cache.pttl("hot:new-value"), "the application's write, as it was");
      for (String key :
          List.of(
              "hot:same-value-longer",
              "hot:same-value-shorter",
              "hot:pexpire-shorter",
              "hot:deleted-and-set-again")) {
        assertEquals("old", fixture.cache.get(key), key);
      }
      assertTrue(fixture.cache.pttl("hot:same-value-longer") > 50_000, "the application's TTL");
      assertTrue(fixture.cache.pttl("hot:same-value-shorter") <= 2_000, "the application's TTL");
      assertTrue(fixture.cache.pttl("hot:pexpire-shorter") <= 3_000, "the application's TTL");
      assertTrue(fixture.cache.pttl("hot:deleted-and-set-again") <= 5_100);
      assertNull(fixture.cache.get("hot:deleted"), "a delete stays a delete");
      assertEquals(0, standing.stats(StandingTechnique.REFRESH_AHEAD).loaded());
    }
  }

  @Test
  void aKeyOfAnotherTypeIsNeverLoadedNorReplaced() throws Exception {
    hot(List.of("hot:hash", "hot:0"));
    fixture.cache.hset("hot:hash", Map.of("field", "app"));
    fixture.cache.pexpire("hot:hash", 5_000);
    fixture.cache.set("hot:0", "old", SetParams.setParams().px(5_000));
    try (StandingWarm standing = start(freshValues(), false)) {
      await("hot:0 refreshed", () -> "new:hot:0".equals(fixture.cache.get("hot:0")));
      Thread.sleep(300);
      assertEquals(List.of("hot:0"), loads, "the hash's loader is never called");
      assertEquals("hash", fixture.cache.type("hot:hash"));
      assertEquals("app", fixture.cache.hget("hot:hash", "field"));
    }
  }

  @Test
  void aRefreshWindowShorterThanTheCheckIsStillMet() throws Exception {
    fixture.publish(Map.of(10, List.of("hot:0")), List.of());
    fixture.observedTtl("hot:0", 5, NOW); // due below 0.5 s (+ the margin): a 30 s check misses it
    fixture.cache.set("hot:0", "old", SetParams.setParams().px(3_000));
    try (StandingWarm standing = start(freshValues(), false, "refreshcheck", "30s")) {
      await("hot:0 refreshed", () -> "new:hot:0".equals(fixture.cache.get("hot:0")));
      assertEquals(List.of("hot:0"), loads);
      long ttl = fixture.cache.pttl("hot:0");
      assertTrue(ttl > 3_000 && ttl <= 5_000, "a fresh TTL: " + ttl);
    }
  }

  @Test
  void aValueTheLoaderReturnsUnchangedIsRefreshedAgainAndCounted() throws Exception {
    fixture.publish(Map.of(10, List.of("hot:0")), List.of());
    fixture.observedTtl("hot:0", 2, NOW);
    fixture.cache.set("hot:0", "stable-row", SetParams.setParams().px(2_000));
    KeyLoader source =
        key -> {
          loads.add(string(key));
          return LoadedValue.of(bytes("stable-row")); // the database row did not change
        };
    try (StandingWarm standing = start(source, false)) {
      await(
          "four refreshes",
          Duration.ofSeconds(20),
          () -> standing.stats(StandingTechnique.REFRESH_AHEAD).loaded() >= 4);
      assertEquals("stable-row", fixture.cache.get("hot:0"), "never left to expire");
      assertTrue(standing.stats(StandingTechnique.REFRESH_AHEAD).unchanged() >= 4);
    }
  }

  @Test
  void anHttpLoaderIsNeverCalled() throws Exception {
    hot(List.of("hot:0"));
    fixture.cache.set("hot:0", "old", SetParams.setParams().px(5_000));
    KeyLoader http =
        new HttpTemplateLoader(
            "http://127.0.0.1:" + StandingFixture.deadPort() + "/{key}",
            ":",
            HttpTemplateLoader.Store.BODY,
            Duration.ofSeconds(1));
    try (StandingWarm standing = start(http, false)) {
      Thread.sleep(600);
      assertEquals(0, standing.stats(StandingTechnique.REFRESH_AHEAD).failed(), "never called");
      assertEquals(0, standing.stats(StandingTechnique.REFRESH_AHEAD).loaded());
      assertEquals("old", fixture.cache.get("hot:0"));
    }
  }

  @Test
  void aLoaderThatCannotBeComparedAndSetIsNeverCalled() throws Exception {
    hot(List.of("hot:0"));
    fixture.cache.set("hot:0", "old", SetParams.setParams().px(5_000));
    KeyLoader storesItself =
        new HttpTemplateLoader(
            "http://127.0.0.1:" + StandingFixture.deadPort() + "/{key}",
            ":",
            HttpTemplateLoader.Store.NONE,
            Duration.ofSeconds(1));
    try (StandingWarm standing = start(storesItself, false)) {
      Thread.sleep(600);
      assertEquals(0, standing.stats(StandingTechnique.REFRESH_AHEAD).failed(), "never called");
      assertEquals(0, standing.stats(StandingTechnique.REFRESH_AHEAD).loaded());
      assertEquals("old", fixture.cache.get("hot:0"));
    }
  }

  @Test
  void keysWithoutATtlAreNeverRefreshed() throws Exception {
    hot(List.of("hot:0", "persistent-in-cache"));
    fixture.publish(
        Map.of(10, List.of("hot:0", "persistent-in-cache", "never-observed", "app-sets-none")),
        List.of());
    fixture.observedTtl("app-sets-none", -1, NOW);
    fixture.cache.set("hot:0", "old", SetParams.setParams().px(5_000));
    fixture.cache.set("persistent-in-cache", "old");
    fixture.cache.set("never-observed", "old", SetParams.setParams().px(5_000));
    fixture.cache.set("app-sets-none", "old", SetParams.setParams().px(5_000));
    try (StandingWarm standing = start(freshValues(), false)) {
      await("hot:0 refreshed", () -> "new:hot:0".equals(fixture.cache.get("hot:0")));
      Thread.sleep(500); // five more checks
      assertEquals(List.of("hot:0"), loads, "only the key with a TTL on both sides");
      for (String key : List.of("persistent-in-cache", "never-observed", "app-sets-none")) {
        assertEquals("old", fixture.cache.get(key), key);
      }
      assertEquals(-1, fixture.cache.pttl("persistent-in-cache"));
    }
  }

  @Test
  void theKeyBudgetAndTheRateBoundTheRefreshes() throws Exception {
    List<String> keys = List.of("hot:0", "hot:1", "hot:2", "hot:3", "hot:4", "hot:5");
    hot(keys);
    for (String key : keys) {
      fixture.cache.set(key, "old", SetParams.setParams().px(8_000));
    }
    try (StandingWarm standing =
        start(freshValues(), false, "refreshkeys", "4", "standingrate", "5")) {
      await("four refreshed", () -> standing.stats(StandingTechnique.REFRESH_AHEAD).loaded() == 4);
      Thread.sleep(500);
      assertEquals(List.of("hot:0", "hot:1", "hot:2", "hot:3"), loads, "the top 4 only");
      assertEquals("old", fixture.cache.get("hot:4"));
      assertEquals("old", fixture.cache.get("hot:5"));
      long spanMillis = (loadNanos.get(3) - loadNanos.get(0)) / 1_000_000;
      assertTrue(spanMillis >= 500, "5 loads/s: 3 intervals of 200 ms, was " + spanMillis);
    }
  }
}
