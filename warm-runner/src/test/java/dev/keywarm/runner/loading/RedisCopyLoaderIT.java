package dev.keywarm.runner.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.runner.WarmResult;
import dev.keywarm.runner.WarmRunner;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Copying hot keys from a source Redis into the target: any type, remaining TTL, never replacing.
 */
class RedisCopyLoaderIT {

  static final Instant NOW = Instant.parse("2026-11-23T10:30:00Z");

  @Test
  void copiesPlannedKeysKeepingTtlAndNeverReplacing() {
    try (RedisServer source = RedisServer.start("--save", "");
        RedisServer target = RedisServer.start("--save", "");
        JedisPooled src = new JedisPooled(java.net.URI.create(source.uri()));
        JedisPooled dst = new JedisPooled(java.net.URI.create(target.uri()));
        RedisCopyLoader copy =
            RedisCopyLoader.connect(source.uri(), Duration.ofSeconds(2), Duration.ofSeconds(5))) {
      Map<String, Double> plan = new HashMap<>();
      for (int i = 0; i < 250; i++) { // more than one batch of 100
        src.setex("s:" + i, 1000, "value-" + i);
        plan.put("s:" + i, 1000.0 - i);
      }
      src.set("forever", "no-ttl");
      src.hset("h:1", Map.of("f", "v"));
      plan.put("forever", 1.0);
      plan.put("h:1", 1.0);
      plan.put("gone", 1.0);
      dst.set("s:3", "target-already-has-it");
      KeySchema schema = KeySchema.forApp("copyapp");
      dst.zadd(schema.planHour("g1", HourBucket.of(NOW).hourOfDay()), plan);
      dst.set(schema.currentPlan(), "g1");

      WarmResult result =
          WarmRunner.builder()
              .planSnapshot(null)
              .app("copyapp")
              .redis(target.uri())
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .serviceLoaders(false)
              .jmx(false)
              .ratePerSecond(0)
              .defaultTtl(Duration.ofSeconds(5)) // must not apply to copies
              .loader("*", copy)
              .build()
              .run();

      assertEquals(251, result.progress().warmed());
      assertEquals(1, result.progress().skippedExisting());
      assertEquals(1, result.progress().missing());
      assertEquals("value-200", dst.get("s:200"));
      long ttl = dst.ttl("s:200");
      assertTrue(ttl > 900 && ttl <= 1000, "remaining TTL not kept: " + ttl);
      assertEquals(-1, dst.ttl("forever"));
      assertEquals("v", dst.hget("h:1", "f"));
      assertEquals("target-already-has-it", dst.get("s:3"));
      assertNull(dst.get("gone"));
    }
  }
}
