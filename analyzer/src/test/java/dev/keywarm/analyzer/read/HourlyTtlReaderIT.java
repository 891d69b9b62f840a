package dev.keywarm.analyzer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.AgentWrites;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.schema.ttl.TtlHistogram;
import dev.keywarm.testsupport.RedisServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * TTLs as the agent writes them for two hours, written here directly with Jedis on the {@link
 * KeySchema} keys: the per-pattern hashes merge over the range into one histogram per pattern
 * (damaged fields skipped), and each key's own TTL is the newest hour's in range; a server without
 * {@code ZMSCORE} gives the same answer through {@code ZSCORE}.
 */
class HourlyTtlReaderIT {

  static final String APP = "ttls";
  static final KeySchema SCHEMA = KeySchema.forApp(APP);
  static final HourBucket H0 = Fixtures.START;
  static final HourBucket H1 = Fixtures.START.plusHours(1);
  static final HourRange RANGE = new HourRange(H0, H0.plusHours(2));
  static final int BULK = 2 * HourlyTtlReader.ROUND_TRIP + 123;

  static RedisServer redis;
  static RedisServer withoutZmscore;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    // ZMSCORE renamed away: the server answers "ERR unknown command", as one older than 6.2 does
    withoutZmscore = RedisServer.start("--rename-command", "ZMSCORE", "ZMSCORE_IS_GONE");
    write(redis);
    write(withoutZmscore);
  }

  static void write(RedisServer server) {
    new AgentWrites(server.host(), server.port(), APP).close(); // clears the fixture hours
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      jedis.zadd(SCHEMA.hourly(H0, KeySchema.HourlySet.HITS), 1, "user:1");
      jedis.zadd(
          SCHEMA.ttls(H0),
          Map.of("user:1", 60.0, "user:2", 30.0, "user:3", -1.0, "session:a", 0.25));
      jedis.zadd(SCHEMA.ttls(H1), Map.of("user:1", 120.0, "user:3", 45.0));
      jedis.zadd(SCHEMA.ttls(H1.plusHours(1)), 999, "user:2"); // after the range: never asked
      jedis.hset(
          SCHEMA.ttlPatterns(H0),
          Map.of(
              TtlHistogram.field("user:{n}", 600_000),
              "6",
              TtlHistogram.field("user:{n}", TtlHistogram.NONE),
              "1",
              TtlHistogram.field("cart:{n}", 250),
              "1",
              "no bar at all",
              "5",
              "user:{n}|soon",
              "5",
              TtlHistogram.field("user:{n}", 0),
              "5"));
      jedis.hset(
          SCHEMA.ttlPatterns(H1),
          Map.of(
              TtlHistogram.field("user:{n}", 600_000), "2",
              TtlHistogram.field("user:{n}", 3_600_000), "1",
              TtlHistogram.field("user:{n}", TtlHistogram.NONE), "1",
              TtlHistogram.field("cart:{n}", TtlHistogram.NONE), "3",
              TtlHistogram.field("odd|pattern", 45_000), "not a count"));
      Map<String, Double> bulk = new HashMap<>();
      for (int i = 0; i < BULK; i++) {
        bulk.put("bulk:" + i, (double) (1 + i % 100));
      }
      jedis.zadd(SCHEMA.ttls(H0), bulk);
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
    withoutZmscore.close();
  }

  @Test
  void thePatternHashesOfTheRangeMergeIntoOneHistogramPerPattern() {
    PatternTtls ttls = Fixtures.read(redis, APP, RANGE, 0).patternTtls();
    assertEquals(java.util.Set.of("user:{n}", "cart:{n}"), ttls.patterns());
    TtlHistogram user = ttls.of("user:{n}");
    // 8 writes of 10 min, 1 of 1 h, 2 without: the damaged fields count nothing
    assertEquals(11, user.writes());
    assertEquals(600_000, user.quantileMillis(0.5));
    assertEquals(3_600_000, user.quantileMillis(0.9));
    assertEquals(2 / 11.0, user.shareWithoutTtl(), 1e-12);
    assertEquals(600_000, user.typicalMillis());
    TtlHistogram cart = ttls.of("cart:{n}");
    assertEquals(4, cart.writes());
    assertEquals(0.75, cart.shareWithoutTtl(), 1e-12);
    assertEquals(TtlHistogram.NONE, cart.typicalMillis()); // mostly written without TTL
    assertNull(ttls.of("odd|pattern"));
  }

  @Test
  void aKeysOwnTtlIsTheNewestHoursInRange() {
    List<byte[]> keys =
        bytes("user:1", "user:2", "user:3", "session:a", "user:9", "bulk:0", "bulk:150");
    double[] millis;
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      millis = new HourlyTtlReader(jedis, SCHEMA).millis(RANGE, keys);
    }
    assertEquals(120_000, millis[0]); // hour 1's 120 s, not hour 0's 60 s
    assertEquals(30_000, millis[1]); // hour 2's 999 s is after the range
    assertEquals(45_000, millis[2]); // hour 1 set one where hour 0 had none
    assertEquals(250, millis[3]);
    assertTrue(Double.isNaN(millis[4]), "never written: unknown");
    assertEquals(1_000, millis[5]);
    assertEquals(51_000, millis[6]);
  }

  @Test
  void aKeyWrittenWithoutTtlInItsNewestHourHasNone() {
    double[] millis;
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      millis = new HourlyTtlReader(jedis, SCHEMA).millis(new HourRange(H0, H1), bytes("user:3"));
    }
    assertEquals(WarmPlan.NO_TTL, millis[0]);
  }

  @Test
  void moreKeysThanOneRoundTripAreAllAnsweredWithOrWithoutZmscore() {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < BULK + 7; i++) { // the last 7 are not in any set
      keys.add(AgentWrites.bytes("bulk:" + i));
    }
    keys.addAll(bytes("user:1", "user:3"));
    for (RedisServer server : List.of(redis, withoutZmscore)) {
      double[] millis;
      try (Jedis jedis = new Jedis(server.host(), server.port())) {
        HourlyTtlReader reader = new HourlyTtlReader(jedis, SCHEMA);
        millis = reader.millis(RANGE, keys);
        if (server == withoutZmscore) { // the other uses ZMSCORE where the server has it (6.2+)
          assertTrue(reader.usesZscore(), "fell back to ZSCORE");
        }
      }
      for (int i = 0; i < BULK; i++) {
        assertEquals(1_000.0 * (1 + i % 100), millis[i], "bulk:" + i);
      }
      for (int i = BULK; i < BULK + 7; i++) {
        assertTrue(Double.isNaN(millis[i]), "bulk:" + i);
      }
      assertEquals(120_000, millis[BULK + 7]);
      assertEquals(45_000, millis[BULK + 8]);
    }
  }

  private static List<byte[]> bytes(String... keys) {
    List<byte[]> out = new ArrayList<>();
    for (String key : keys) {
      out.add(AgentWrites.bytes(key));
    }
    return out;
  }
}
