package dev.keywarm.analyzer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.AgentWrites;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.testsupport.RedisServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Paging across several ZRANGE pages, the hour being written scanned instead, hours missing in the
 * middle, meta sums, loads and decay.
 */
class HourlyStatsReaderIT {

  static RedisServer redis;
  static final int BIG = 2 * HourlyStatsReader.PAGE + 123;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    try (AgentWrites w = new AgentWrites(redis.host(), redis.port(), "reader")) {
      HourBucket h0 = Fixtures.START;
      for (int i = 1; i <= BIG; i++) {
        w.hits(h0, "big:" + i, i);
      }
      w.meta(h0, MetaField.DROPPED_HITS, 5).meta(h0, MetaField.FLUSHES, 2);
      // hours 1-2 missing, hour 3 has one key
      w.misses(h0.plusHours(3), "big:1", 4).loads(h0.plusHours(3), "big:1", 2, 250);
      w.meta(h0.plusHours(3), MetaField.DROPPED_HITS, 1);
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void readsEveryMemberOfEveryPageOnce() {
    RangeData d =
        Fixtures.read(
            redis, "reader", new HourRange(Fixtures.START, Fixtures.START.plusHours(4)), 0);
    KeyTable t = d.keys();
    assertEquals(BIG, t.size());
    double sum = 0;
    for (int id = 0; id < t.size(); id++) {
      sum += t.reads(id);
    }
    assertEquals((double) BIG * (BIG + 1) / 2 + 4, sum, 1e-6);
    int one = t.find(AgentWrites.bytes("big:1"));
    assertEquals(1, t.hits(one), 1e-9);
    assertEquals(4, t.misses(one), 1e-9);
    assertEquals(250, t.meanLoadMicros(one), 1e-9);
    assertEquals(4, t.hourOfDay(3)[one], 1e-9);
  }

  @Test
  void theHourBeingWrittenIsScannedToTheSameCounts() {
    HourRange range = new HourRange(Fixtures.START, Fixtures.START.plusHours(4));
    RangeData d;
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      d = new HourlyStatsReader(jedis, KeySchema.forApp("reader")).read(range, 0, Fixtures.START);
    }
    assertEquals(BIG, d.keys().size());
    double sum = 0;
    for (int id = 0; id < d.keys().size(); id++) {
      sum += d.keys().reads(id);
    }
    assertEquals((double) BIG * (BIG + 1) / 2 + 4, sum, 1e-6);
    assertEquals(250, d.keys().meanLoadMicros(d.keys().find(AgentWrites.bytes("big:1"))), 1e-9);
    assertEquals(List.of(Fixtures.START, Fixtures.START.plusHours(3)), d.partialHours());
  }

  /**
   * An agent keeps incrementing and adding members while the hour is read: no member that was there
   * throughout is missed or counted twice, and each count lies between its values before and after.
   * Paged by index over more than one round trip, as a complete hour is, this misses members.
   */
  @Test
  void anHourThatGrowsWhileScannedHasEveryMemberOnce() throws Exception {
    int n = 2 * HourlyStatsReader.BATCH_MEMBERS + 30_000;
    HourBucket hour = Fixtures.START;
    KeySchema schema = KeySchema.forApp("growing");
    String hits = schema.hourly(hour, KeySchema.HourlySet.HITS);
    new AgentWrites(redis.host(), redis.port(), "growing")
        .close(); // clears the app's fixture hours
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      Map<String, Double> members = new HashMap<>();
      for (int i = 0; i < n; i++) {
        members.put("g:" + i, 1.0);
        if (members.size() == 10_000 || i == n - 1) { // one ZADD per 10,000 members
          jedis.zadd(hits, members);
          members.clear();
        }
      }
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread agent =
        new Thread(
            () -> {
              Random random = new Random(1);
              try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                for (int batch = 0; !stop.get(); batch++) {
                  Pipeline p = jedis.pipelined();
                  for (int i = 0; i < 200; i++) {
                    p.zincrby(hits, 1 + random.nextInt(50), "g:" + random.nextInt(n));
                    p.zincrby(hits, 1, "new:" + batch + ":" + i);
                  }
                  p.sync();
                }
              }
            });
    agent.start();
    RangeData d;
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      Thread.sleep(20);
      d =
          new HourlyStatsReader(jedis, schema)
              .read(new HourRange(hour, hour.plusHours(1)), 0, hour);
    } finally {
      stop.set(true);
      agent.join();
    }
    Map<String, Double> after = new HashMap<>();
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      jedis.zrangeWithScores(hits, 0, -1).forEach(t -> after.put(t.getElement(), t.getScore()));
    }
    for (int i = 0; i < n; i++) {
      int id = d.keys().find(AgentWrites.bytes("g:" + i));
      assertTrue(id >= 0, "g:" + i + " was missed");
      double read = d.keys().reads(id);
      assertTrue(
          read >= 1 && read <= after.get("g:" + i),
          "g:" + i + " read " + read + ", 1 before, " + after.get("g:" + i) + " after");
    }
  }

  @Test
  void missingHoursAndMetaAreReported() {
    RangeData d =
        Fixtures.read(
            redis, "reader", new HourRange(Fixtures.START, Fixtures.START.plusHours(4)), 0);
    assertEquals(
        List.of(Fixtures.START.plusHours(1), Fixtures.START.plusHours(2)), d.missingHours());
    assertEquals(2, d.presentHours().size());
    assertEquals(6L, d.meta().get("dropped_hits"));
    assertEquals(2L, d.meta().get("flushes"));
    // a quarter of 2 hours rounds to the minimum of one held-out hour: the newest
    assertEquals(List.of(Fixtures.START.plusHours(3)), d.heldOutHours());
  }

  @Test
  void heldOutHoursNeverRepeatAnHourOfDay() {
    // 100 hours with 90..95 missing: the newest 23 present hours would reach back to hour 71, but
    // hour 75 has the hour of day of hour 99 (3), so the held-out set is 76..89 and 96..99
    java.util.List<HourBucket> present = new java.util.ArrayList<>();
    for (int h = 0; h < 100; h++) {
      if (h < 90 || h > 95) {
        present.add(Fixtures.START.plusHours(h));
      }
    }
    List<HourBucket> held = HourlyStatsReader.heldOut(present);
    assertEquals(18, held.size());
    assertEquals(Fixtures.START.plusHours(76), held.get(0));
    assertEquals(Fixtures.START.plusHours(99), held.get(17));
    assertEquals(18, held.stream().map(HourBucket::hourOfDay).distinct().count());
  }

  @Test
  void decayHalvesPerHalfLife() {
    RangeData d =
        Fixtures.read(
            redis, "reader", new HourRange(Fixtures.START, Fixtures.START.plusHours(4)), 1.5);
    int one = d.keys().find(AgentWrites.bytes("big:1"));
    // hour 0 ends 3 hours before the range does (weight 2^-2), hour 3 is the last (weight 1)
    assertEquals(1 * 0.25 + 4, d.keys().decayedReads(one), 1e-9);
  }

  @Test
  void anEmptyRangeIsEmpty() {
    RangeData d =
        Fixtures.read(
            redis, "nobody", new HourRange(Fixtures.START, Fixtures.START.plusHours(4)), 0);
    assertTrue(d.isEmpty());
    assertEquals(4, d.missingHours().size());
  }
}
