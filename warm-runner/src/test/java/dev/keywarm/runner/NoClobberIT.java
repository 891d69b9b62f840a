package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServerExtension;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * The application writes to planned keys while the warm runs; every key it wrote must still hold
 * its value afterwards. Fails if the runner ever used a plain SET (or any check-then-set).
 */
class NoClobberIT {

  private static final int KEYS = 2_000;
  private static final int TRIALS = 5;

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void applicationWritesRacingTheWarmAreNeverOverwritten() throws Exception {
    long raced = 0;
    long clobbers = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      REDIS.server().flushAll();
      try (PlanFixture fixture = new PlanFixture(REDIS.server().uri(), "shop");
          JedisPooled app = new JedisPooled(java.net.URI.create(REDIS.server().uri()))) {
        fixture.plan("g1", PlanFixture.ranked("k", KEYS), java.util.Map.of());
        List<String> keys = PlanFixture.names("k", KEYS);
        Set<String> appWrote = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    String key = keys.get(ThreadLocalRandom.current().nextInt(KEYS));
                    app.set(key, "app-value");
                    appWrote.add(key);
                  }
                });
        WarmHandle handle =
            WarmRunner.builder()
                .planSnapshot(null)
                .app("shop")
                .redis(REDIS.server().uri())
                .clock(PlanFixture.CLOCK)
                .serviceLoaders(false)
                .jmx(false)
                .concurrency(4)
                .ratePerSecond(20_000)
                .writers(2, 64)
                .loader("*", key -> LoadedValue.of(bytes("warm-value")))
                .build()
                .start();
        writer.start();
        WarmResult result = handle.await();
        stop.set(true);
        writer.join();

        assertEquals(WarmStatus.COMPLETED, result.status());
        assertEquals(KEYS, result.progress().warmed() + result.progress().skippedExisting());
        raced += result.progress().skippedExisting();
        for (String key : appWrote) {
          if (!"app-value".equals(app.get(key))) {
            clobbers++;
          }
        }
      }
    }
    assertEquals(0, clobbers, "keys the application wrote that the warm overwrote");
    assertTrue(
        raced > 0, "the application never wrote a key before the warm reached it: no race tested");
  }
}
