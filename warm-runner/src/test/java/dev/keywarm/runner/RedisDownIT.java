package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The target Redis is unreachable: retries with back-off, then a clean FAILED result. */
class RedisDownIT {

  @Test
  void unreachableAtStartFailsWithAClearError() {
    RedisServer redis = RedisServer.start("--save", "");
    String uri = redis.uri();
    redis.close(); // nothing listens there any more

    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("shop")
            .redis(uri)
            .serviceLoaders(false)
            .jmx(false)
            .redisTimeout(Duration.ofMillis(200))
            .redisGiveUpAfter(Duration.ofMillis(700))
            .loader("*", key -> LoadedValue.of(bytes("v")))
            .build()
            .run();

    assertEquals(WarmStatus.FAILED, result.status());
    assertTrue(result.error().contains("unreachable after"), result.error());
    assertTrue(result.error().contains(uri.replace("redis://", "")), result.error());
    assertTrue(!result.reached(0.0));
  }

  @Test
  void killedWhileWarmingRetriesThenGivesUp() throws Exception {
    RedisServer redis = RedisServer.start("--save", "");
    try (PlanFixture fixture = new PlanFixture(redis.uri(), "shop")) {
      fixture.plan("g1", PlanFixture.ranked("k", 400), Map.of());
      CountDownLatch killed = new CountDownLatch(1);
      WarmHandle handle =
          WarmRunner.builder()
              .planSnapshot(null)
              .app("shop")
              .redis(redis.uri())
              .clock(PlanFixture.CLOCK)
              .serviceLoaders(false)
              .jmx(false)
              .lease(false, Duration.ZERO)
              .redisTimeout(Duration.ofMillis(300))
              .redisGiveUpAfter(Duration.ofMillis(1_000))
              .concurrency(1)
              .ratePerSecond(0)
              .writers(1, 16)
              .loader(
                  "*",
                  key -> {
                    if (PlanFixture.string(key).equals("k200")) {
                      killed.await(); // half the plan is written; the rest meets a dead Redis
                    }
                    return LoadedValue.of(bytes("v"));
                  })
              .build()
              .start();
      while (handle.progress().warmed() < 200 && !handle.isDone()) {
        Thread.sleep(5);
      }
      redis.kill();
      killed.countDown();
      WarmResult result = handle.await();

      assertEquals(WarmStatus.FAILED, result.status());
      assertTrue(result.error().contains("cache Redis unreachable"), result.error());
      assertEquals(200, result.progress().warmed());
      assertTrue(result.progress().failed() > 0);
      assertTrue(
          result.progress().planned() > result.progress().warmed() + result.progress().failed(),
          "kept loading after giving up");
    } finally {
      redis.close();
    }
  }
}
