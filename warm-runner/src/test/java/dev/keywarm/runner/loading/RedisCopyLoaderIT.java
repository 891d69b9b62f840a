package dev.keywarm.runner.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.HashField;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.WarmResult;
import dev.keywarm.runner.WarmRunner;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
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

  @Test
  void copiesPlannedHashFieldsWithTheHashesTtlAndNeverReplacingAField() {
    try (RedisServer source = RedisServer.start("--save", "");
        RedisServer target = RedisServer.start("--save", "");
        JedisPooled src = new JedisPooled(java.net.URI.create(source.uri()));
        JedisPooled dst = new JedisPooled(java.net.URI.create(target.uri()));
        RedisCopyLoader copy =
            RedisCopyLoader.connect(source.uri(), Duration.ofSeconds(2), Duration.ofSeconds(5))) {
      src.hset("h:1", Map.of("a", "1", "b", "2"));
      src.pexpire("h:1", 1_000_000);
      src.hset("h:2", Map.of("c", "3")); // no TTL at the source
      dst.hset("h:1", "b", "target-already-has-it");
      dst.hset("h:2", "app", "x"); // the target's hash, with its TTL: takes a field on every
      dst.pexpire("h:2", 200_000); // version (before 7.4 a missing hash is not created)
      Map<byte[], Double> plan = new HashMap<>();
      plan.put(FieldMember.encode(bytes("h:1"), bytes("a")), 4.0);
      plan.put(FieldMember.encode(bytes("h:1"), bytes("b")), 3.0);
      plan.put(FieldMember.encode(bytes("h:2"), bytes("c")), 2.0);
      plan.put(FieldMember.encode(bytes("h:1"), bytes("gone")), 1.0);
      plan.put(FieldMember.encode(bytes("h:3"), bytes("x")), 0.5); // no such hash
      KeySchema schema = KeySchema.forApp("copyapp");
      dst.zadd(bytes(schema.planHour("g1", HourBucket.of(NOW).hourOfDay())), plan);
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
              .defaultTtl(Duration.ofSeconds(100))
              .loader("*", copy)
              .fieldLoader("*", copy)
              .build()
              .run();

      assertEquals(2, result.progress().warmed(), result.summary()); // h:1 a, h:2 c
      assertEquals(1, result.progress().skippedExisting());
      assertEquals(2, result.progress().missing());
      assertEquals(0, result.progress().noLoader());
      assertEquals("1", dst.hget("h:1", "a"));
      assertEquals("target-already-has-it", dst.hget("h:1", "b"));
      assertEquals(-1, dst.pttl("h:1"), "the target's own hash keeps having no TTL");
      assertEquals("3", dst.hget("h:2", "c"));
      long hashTtl = dst.pttl("h:2");
      assertTrue(hashTtl > 0 && hashTtl <= 200_000, "the target hash's TTL untouched: " + hashTtl);
      try {
        long own = dst.hpttl("h:2", "c").get(0); // Redis 7.4+: the field's own TTL
        assertTrue(own > 79_000 && own <= 100_000, "no source TTL: the warm's own: " + own);
      } catch (redis.clients.jedis.exceptions.JedisDataException e) {
        // before 7.4: the field lives as long as the hash it went into
      }
      assertFalse(dst.exists("h:3"));
    }
  }

  @Test
  void aCopiedFieldGetsTheSourceHashesRemainingTtl() throws Exception {
    try (RedisServer source = RedisServer.start("--save", "");
        RedisServer target = RedisServer.start("--save", "");
        JedisPooled src = new JedisPooled(java.net.URI.create(source.uri()));
        RedisCopyLoader copy =
            RedisCopyLoader.connect(source.uri(), Duration.ofSeconds(2), Duration.ofSeconds(5))) {
      src.hset("h:1", Map.of("a", "1"));
      src.pexpire("h:1", 1_000_000);
      src.hset("h:2", Map.of("c", "3"));

      List<LoadedValue> values =
          copy.loadFields(
              List.of(
                  new HashField(bytes("h:1"), bytes("a")),
                  new HashField(bytes("h:2"), bytes("c")),
                  new HashField(bytes("h:1"), bytes("nope"))));

      assertEquals("1", new String(values.get(0).bytes(), StandardCharsets.UTF_8));
      long ttl = values.get(0).ttl().orElseThrow().toMillis();
      assertTrue(ttl > 990_000 && ttl <= 1_000_000, "the hash's remaining TTL: " + ttl);
      assertEquals("3", new String(values.get(1).bytes(), StandardCharsets.UTF_8));
      assertTrue(values.get(1).ttl().isEmpty(), "no TTL at the source: the warm chooses");
      assertNull(values.get(2));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
