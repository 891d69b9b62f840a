package dev.keywarm.runner.standing;

import static dev.keywarm.runner.standing.StandingFixture.NOW;
import static dev.keywarm.runner.standing.StandingFixture.await;
import static dev.keywarm.runner.standing.StandingFixture.bytes;
import static dev.keywarm.runner.standing.StandingFixture.fixed;
import static dev.keywarm.runner.standing.StandingFixture.settings;
import static dev.keywarm.runner.standing.StandingFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lazy against real servers: two instances of one app, one stats Redis, one cache. */
class LazyWarmIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  /**
   * Misses spread over 24 stats shards, and over both counts of an hour written by two: a key's
   * misses are summed over the shards that hold it.
   */
  @Test
  void missesInEveryShardOfTheHourAreSeen() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      List<String> loads = new CopyOnWriteArrayList<>();
      KeyLoader loader =
          key -> {
            loads.add(string(key));
            return LoadedValue.of(bytes("loaded:" + string(key)));
          };
      StandingSettings lazy =
          settings("standing", "lazy", "lazycheck", "100ms", "lazymisses", "3", "lazyclaim", "1m");
      StandingWarm a =
          fixture.runner("a", fixed(NOW)).loader("*", loader).build().standingWarm(lazy);
      try {
        await("the lease", a::isLeaseHolder);
        for (int i = 0; i < 40; i++) {
          fixture.misses("sharded:" + i, 3, NOW, 24); // in 40 keys' shards, all 24 likely
        }
        fixture.misses("rare:1", 2, NOW, 24);
        fixture.misses("both:1", 2, NOW, 24);
        fixture.misses("both:1", 2, NOW, 1); // 4 in all, 2 in each
        fixture.misses("both:1", 2, NOW, 24); // 4 with 24 shards: seen, summed to 6
        await("every sharded key loaded", () -> loads.size() >= 41);
        Thread.sleep(300);
        assertEquals(41, loads.size(), loads.toString());
        assertTrue(loads.contains("both:1"), loads.toString());
        assertNull(fixture.cache.get("rare:1"));
        for (int i = 0; i < 40; i++) {
          assertEquals("loaded:sharded:" + i, fixture.cache.get("sharded:" + i));
        }
      } finally {
        a.close();
      }
    }
  }

  @Test
  void aKeyMissedRepeatedlyIsLoadedOnceForTheFleetEvenAcrossALeaseHandOver() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      List<String> loads = new CopyOnWriteArrayList<>();
      KeyLoader loader =
          key -> {
            loads.add(string(key));
            return LoadedValue.of(bytes("loaded:" + string(key)));
          };
      StandingSettings lazy =
          settings("standing", "lazy", "lazycheck", "100ms", "lazymisses", "3", "lazyclaim", "1m");
      StandingWarm a =
          fixture.runner("a", fixed(NOW)).loader("*", loader).build().standingWarm(lazy);
      StandingWarm b =
          fixture.runner("b", fixed(NOW)).loader("*", loader).build().standingWarm(lazy);
      try {
        await("a lease holder", () -> a.isLeaseHolder() || b.isLeaseHolder());
        fixture.misses("missed:1", 5, NOW); // one flush
        fixture.misses("rare:1", 1, NOW);
        fixture.misses("missed:1", 4, NOW); // the next flush
        await("missed:1 loaded", () -> "loaded:missed:1".equals(fixture.cache.get("missed:1")));
        fixture.misses("missed:1", 6, NOW); // misses the agent flushed late: the key is present
        Thread.sleep(400);
        assertEquals(List.of("missed:1"), loads, "once, and never a rarely missed key");
        assertNull(fixture.cache.get("rare:1"));

        StandingWarm holder = a.isLeaseHolder() ? a : b;
        StandingWarm other = holder == a ? b : a;
        assertTrue(!other.isLeaseHolder(), "one holder");
        assertEquals(0, other.stats(StandingTechnique.LAZY).rounds(), "the other did nothing");
        long ttl = fixture.cache.pttl("missed:1");
        assertTrue(ttl > 0 && ttl <= 3_600_000, "the warm's TTL choice: " + ttl);

        // hand-over: the key is evicted, the holder stops; the new holder counts the hour's 15
        // misses from zero, but the claim says the fleet loaded the key already
        fixture.cache.del("missed:1");
        holder.close();
        await("the other takes over", other::isLeaseHolder);
        await("the claim seen", () -> other.stats(StandingTechnique.LAZY).skipped() == 1);
        Thread.sleep(300);
        assertEquals(List.of("missed:1"), loads, "loaded once for the fleet");
        assertNull(fixture.cache.get("missed:1"));
        assertNotEquals(
            null, fixture.stats.get(fixture.schema.standingClaim(bytes("missed:1"))), "claimed");
      } finally {
        a.close();
        b.close();
      }
    }
  }

  @Test
  void twoInstancesThatBothThinkTheyHoldTheLeaseLoadAKeyOnce() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      List<String> loads = new CopyOnWriteArrayList<>();
      KeyLoader slow =
          key -> {
            loads.add(string(key));
            Thread.sleep(200); // both are past their EXISTS before either writes
            return LoadedValue.of(bytes("loaded:" + string(key)));
          };
      StandingSettings lazy = settings("standing", "lazy", "lazymisses", "3", "lazyclaim", "1m");
      fixture.misses("missed:1", 5, NOW);
      LazyWarm[] techniques = {new LazyWarm(), new LazyWarm()};
      StandingContext[] contexts = new StandingContext[2];
      KeyLoads[] keyLoads = new KeyLoads[2];
      RedisTarget[] targets = new RedisTarget[2];
      for (int i = 0; i < 2; i++) {
        LoaderTable loaders = new LoaderTable().register("*", slow);
        var warm = fixture.runner(i == 0 ? "a" : "b", fixed(NOW)).build().settings();
        keyLoads[i] = new KeyLoads(loaders, 100, Duration.ofSeconds(5), StandingFixture.APP);
        contexts[i] = new StandingContext(warm, lazy, loaders, keyLoads[i], fixed(NOW));
        targets[i] =
            RedisTarget.connect(fixture.cacheUri(), Duration.ofSeconds(2), Duration.ofSeconds(2));
        contexts[i].useCache(targets[i]);
        contexts[i].stats = fixture.stats;
        techniques[i].poll(contexts[i], NOW);
        assertTrue(techniques[i].hasWork(), "each queued the key");
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int n = i;
        Thread t =
            new Thread(
                () -> {
                  try {
                    go.await();
                    techniques[n].handleNext(contexts[n]);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        t.start();
        threads.add(t);
      }
      go.countDown();
      for (Thread t : threads) {
        t.join(10_000);
      }
      keyLoads[0].close();
      keyLoads[1].close();
      targets[0].close();
      targets[1].close();
      assertEquals(List.of("missed:1"), loads, "the claim lets one instance load it");
      assertEquals("loaded:missed:1", fixture.cache.get("missed:1"));
      assertEquals(
          1,
          techniques[0].counters.skipped.get() + techniques[1].counters.skipped.get(),
          "the other saw the claim");
    }
  }
}
