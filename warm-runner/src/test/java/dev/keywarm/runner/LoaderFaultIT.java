package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static dev.keywarm.runner.PlanFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Loaders that throw, hang, time out or slow down: counted, skipped, and answered with back-off
 * where the backend is overloaded (timeouts, latency), never for a failure.
 */
class LoaderFaultIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  PlanFixture fixture;

  @BeforeEach
  void clean() {
    REDIS.server().flushAll();
    fixture = new PlanFixture(REDIS.server().uri(), "shop");
  }

  /** {@code n} keys alternating between the given prefixes, descending scores. */
  private void planAlternating(int n, String... prefixes) {
    Map<String, Double> plan = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      plan.put(prefixes[i % prefixes.length] + i, (double) (n - i));
    }
    fixture.plan("g1", plan, Map.of());
  }

  private WarmRunner.Builder runner() {
    return WarmRunner.builder()
        .planSnapshot(null)
        .app("shop")
        .redis(REDIS.server().uri())
        .clock(PlanFixture.CLOCK)
        .serviceLoaders(false)
        .jmx(false)
        .ratePerSecond(0)
        .concurrency(8);
  }

  private static LoadedValue ok(byte[] key) {
    return LoadedValue.of(bytes("v:" + string(key)));
  }

  /**
   * A failure is an answer about the key, not a sign of overload: half the keys fail and the limit
   * stays where it was. (The good loader takes 20 ms, so only a 40 ms stall could read as slow.)
   */
  @Test
  void throwingLoaderIsCountedSkippedAndLeavesConcurrencyAlone() throws Exception {
    planAlternating(100, "ok:", "bad:");
    WarmHandle handle =
        runner()
            .maxErrorRate(1.0)
            .loader(
                "ok:*",
                key -> {
                  Thread.sleep(20);
                  return ok(key);
                })
            .loader(
                "bad:*",
                key -> {
                  throw new IllegalStateException("database says no");
                })
            .build()
            .start();
    WarmResult result = handle.await();

    assertEquals(WarmStatus.COMPLETED, result.status());
    assertEquals(50, result.progress().failed());
    assertEquals(50, result.progress().warmed());
    assertEquals(0, result.progress().timedOut());
    assertNull(fixture.jedis.get("bad:1"));
    assertNotNull(fixture.jedis.get("ok:0"));
    assertEquals(0, handle.progress().concurrencyDecreases());
    assertEquals(8, handle.progress().lowestConcurrencyLimit());
  }

  /** A loader's own timeout exception (a JDBC query timeout here) is a timeout, not a failure. */
  @Test
  void aLoadersOwnTimeoutCountsAsTimedOut() {
    planAlternating(10, "k:");
    WarmResult result =
        runner()
            .maxErrorRate(1.0)
            .loader(
                "*",
                key -> {
                  throw new IllegalStateException(
                      "query failed", new java.sql.SQLTimeoutException("timed out"));
                })
            .build()
            .run();
    assertEquals(10, result.progress().timedOut());
    assertEquals(0, result.progress().failed());
  }

  @Test
  void hangingLoaderTimesOutAndTheRestIsWarmed() throws Exception {
    planAlternating(40, "ok:", "hang:");
    WarmResult result =
        runner()
            .maxErrorRate(1.0)
            .callTimeout(Duration.ofMillis(200))
            .loader("ok:*", LoaderFaultIT::ok)
            .loader(
                "hang:*",
                key -> {
                  long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                  while (System.nanoTime()
                      < until) { // ignores interruption, like a stuck driver call
                    try {
                      Thread.sleep(100);
                    } catch (InterruptedException ignored) {
                      // keep hanging
                    }
                  }
                  return ok(key);
                })
            .build()
            .run();

    assertEquals(WarmStatus.COMPLETED, result.status());
    assertEquals(20, result.progress().timedOut());
    assertEquals(20, result.progress().warmed());
    assertNull(fixture.jedis.get("hang:1"), "a timed-out call's late value must be discarded");
  }

  @Test
  void slowerLoaderReducesConcurrency() throws Exception {
    planAlternating(200, "k:");
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger inLoader = new AtomicInteger();
    AtomicInteger maxInLoaderWhileSlow = new AtomicInteger();
    KeyLoader loader =
        key -> {
          int n = calls.incrementAndGet();
          int concurrent = inLoader.incrementAndGet();
          try {
            if (n > 100) {
              if (n > 110
                  && n <= 125) { // after the first slow calls came back, before the new normal
                maxInLoaderWhileSlow.accumulateAndGet(concurrent, Math::max);
              }
              Thread.sleep(40); // the database got slow
            } // before: answers from memory, so the baseline is microseconds
            return ok(key);
          } finally {
            inLoader.decrementAndGet();
          }
        };
    WarmHandle handle = runner().loader("*", loader).build().start();
    WarmResult result = handle.await();

    assertEquals(200, result.progress().warmed());
    assertTrue(handle.progress().concurrencyDecreases() > 0, "no back-off on a 40x latency rise");
    assertTrue(handle.progress().lowestConcurrencyLimit() <= 4, "limit never halved");
    assertTrue(maxInLoaderWhileSlow.get() < 8, "still 8 calls in flight right after the slowdown");
  }

  @Test
  void abortsPastTheErrorRate() {
    planAlternating(500, "bad:");
    AtomicInteger calls = new AtomicInteger();
    WarmResult result =
        runner()
            .concurrency(1)
            .maxErrorRate(0.5)
            .loader(
                "*",
                key -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("down");
                })
            .build()
            .run();

    assertEquals(WarmStatus.ABORTED, result.status());
    assertTrue(calls.get() < 500, "kept calling a loader that always fails");
    assertTrue(result.error().contains("error rate"), result.error());
  }

  @Test
  void loaderReturningNullCountsAsMissing() {
    planAlternating(10, "k:");
    WarmResult result = runner().loader("*", key -> null).build().run();
    assertEquals(10, result.progress().missing());
    assertEquals(0, result.progress().warmed());
  }
}
