package dev.keywarm.springit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeyPattern;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.ttl.TtlHistogram;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Spring Data Redis with the Lettuce connection factory and, separately, the Jedis one: an
 * unmodified {@code @Cacheable} application started with {@code -javaagent} leaves its cache keys
 * ({@code products::1}) in the hourly sets with exact hits, misses, writes and loads, and the
 * cache's {@code time-to-live} as each key's TTL and its pattern's; a hash field read and written
 * through {@code opsForHash()} is counted as its own entry.
 */
class SpringCacheIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @ParameterizedTest(name = "{0} connection factory")
  @ValueSource(strings = {"lettuce", "jedis"})
  void cacheableKeysAreRecorded(String client) throws Exception {
    String app = "it-spring-" + client;
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms",
            SpringApps.classPath(),
            ProductApp.class,
            "--spring.data.redis.host=" + REDIS.server().host(),
            "--spring.data.redis.port=" + REDIS.server().port(),
            "--spring.data.redis.client-type=" + client,
            "--spring.cache.type=redis",
            "--spring.cache.redis.key-prefix=" + client + ":",
            // RedisCacheConfiguration.entryTtl: Spring sends it as SET … PX/EX
            "--spring.cache.redis.time-to-live=10m",
            "--spring.main.banner-mode=off",
            "--spring.main.web-application-type=none");
    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());

    KeySchema schema = KeySchema.forApp(app);
    HourBucket now = HourBucket.ofEpochMillis(System.currentTimeMillis());
    for (long id = 1; id <= 5; id++) {
      String key = client + ":products::" + id;
      long calls = id == 1 ? 5 : 2;
      long loads = loadsOf(run.stdout(), id); // each load is a cache miss followed by a put
      assertEquals(
          calls - loads, score(schema, now, HourlySet.HITS, key), key + " hits\n" + run.stderr());
      assertEquals(loads, score(schema, now, HourlySet.MISSES, key), key + " misses");
      assertEquals(loads, score(schema, now, HourlySet.WRITES, key), key + " writes");
      long timed = score(schema, now, HourlySet.LOADS, key);
      assertTrue(timed >= 1 && timed <= loads, key + " timed loads " + timed + " of " + loads);
      assertEquals(600.0, ttl(schema, now, key), key + " ttl");
    }
    // the pattern's TTL histogram: every write of products::{n} at 10 min
    long patternWrites = 0;
    for (HourBucket hour : List.of(now.plusHours(-1), now)) {
      Object count =
          REDIS
              .server()
              .command(
                  "HGET",
                  schema.ttlPatterns(hour),
                  TtlHistogram.field(KeyPattern.of(client + ":products::1"), 600_000));
      patternWrites += count == null ? 0 : Long.parseLong(count.toString());
    }
    long allLoads = 0;
    for (long id = 1; id <= 5; id++) {
      allLoads += loadsOf(run.stdout(), id);
    }
    assertEquals(allLoads, patternWrites, "writes of products::{n} with a 10 min TTL");

    // opsForHash().get/put: HGET and HSET of one field, counted as the entry (key, field)
    byte[] field =
        FieldMember.encode(
            (client + ":profiles:1").getBytes(StandardCharsets.UTF_8),
            "name".getBytes(StandardCharsets.UTF_8));
    assertEquals(2, score(schema, now, HourlySet.HITS, field), "profiles:1 [name] hits");
    assertEquals(1, score(schema, now, HourlySet.MISSES, field), "profiles:1 [name] misses");
    assertEquals(1, score(schema, now, HourlySet.WRITES, field), "profiles:1 [name] writes");
    assertEquals(1, score(schema, now, HourlySet.LOADS, field), "profiles:1 [name] loads");
  }

  /**
   * Redisson's Spring cache: the same {@code @Cacheable} service over {@code
   * RedissonSpringCacheManager}, each product a field of the hash {@code products} (HGET, then HSET
   * on a miss), with exact hits, misses, writes and loads per field.
   */
  @org.junit.jupiter.api.Test
  void redissonSpringCacheFieldsAreRecorded() throws Exception {
    String app = "it-spring-redisson";
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms",
            SpringApps.classPath(),
            RedissonCacheApp.class,
            "--redisson.address=" + REDIS.server().uri(),
            "--spring.data.redis.host=" + REDIS.server().host(),
            "--spring.data.redis.port=" + REDIS.server().port(),
            "--spring.main.banner-mode=off");
    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());

    KeySchema schema = KeySchema.forApp(app);
    HourBucket now = HourBucket.ofEpochMillis(System.currentTimeMillis());
    for (long id = 1; id <= 5; id++) {
      byte[] field =
          FieldMember.encode(
              "products".getBytes(StandardCharsets.UTF_8),
              Long.toString(id).getBytes(StandardCharsets.UTF_8));
      String name = "products [" + id + "]";
      long calls = id == 1 ? 5 : 2;
      long loads = loadsOf(run.stdout(), id);
      assertEquals(1, loads, name + " loaded once: the cache's writes are synchronous");
      assertEquals(
          calls - 1, score(schema, now, HourlySet.HITS, field), name + " hits\n" + run.stderr());
      assertEquals(1, score(schema, now, HourlySet.MISSES, field), name + " misses");
      assertEquals(1, score(schema, now, HourlySet.WRITES, field), name + " writes");
      assertEquals(1, score(schema, now, HourlySet.LOADS, field), name + " loads");
    }
    assertEquals(0, score(schema, now, HourlySet.HITS, "products"), "the hash is not an entry");
  }

  /** The TTL the application gave {@code key}, s, as the newest hour recorded it. */
  private static Double ttl(KeySchema schema, HourBucket now, String key) {
    for (HourBucket hour : List.of(now, now.plusHours(-1))) {
      Object score = REDIS.server().command("ZSCORE", schema.ttls(hour), key);
      if (score != null) {
        return Double.parseDouble(score.toString());
      }
    }
    return null;
  }

  private static long loadsOf(String stdout, long id) {
    for (String line : stdout.split("\\R")) {
      if (line.startsWith("loads of " + id + "=")) {
        return Long.parseLong(line.substring(line.indexOf('=') + 1).trim());
      }
    }
    throw new AssertionError("the application did not report its loads of " + id + ":\n" + stdout);
  }

  private static long score(KeySchema schema, HourBucket now, HourlySet set, String key) {
    return score(schema, now, set, key.getBytes(StandardCharsets.UTF_8));
  }

  /** Binary-safe (a field member is not text): through Jedis, not the test CLI. */
  private static long score(KeySchema schema, HourBucket now, HourlySet set, byte[] key) {
    long total = 0;
    try (Jedis jedis = new Jedis(REDIS.server().host(), REDIS.server().port())) {
      for (HourBucket hour : List.of(now.plusHours(-1), now)) {
        Double score = jedis.zscore(schema.hourly(hour, set).getBytes(StandardCharsets.UTF_8), key);
        total += score == null ? 0 : Math.round(score);
      }
    }
    return total;
  }
}
