package dev.keywarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.demo.ShopRun.Tick;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The next-hour story's parts that need no hour boundary: its measurement on made-up ticks, and the
 * move of a recorded hour to yesterday's on a real Redis. The story itself waits for a real UTC
 * hour, so it is run by hand ({@code --next-hour}), not here.
 */
class NextHourStoryTest {

  /** Cumulative ticks, one a second: 1 000 reads a second, all hits but {@code misses[i]}. */
  private static List<Tick> ticks(long[] misses) {
    List<Tick> ticks = new ArrayList<>();
    long reads = 0;
    long hits = 0;
    long missed = 0;
    for (int i = 0; i < misses.length; i++) {
      reads += 1_000;
      hits += 1_000 - misses[i];
      missed += misses[i];
      ticks.add(
          new Tick(
              i + 1,
              reads,
              reads,
              0,
              0,
              reads,
              hits,
              missed,
              missed,
              10L * i,
              0,
              0,
              0,
              reads / 4,
              missed,
              LatencyLog.empty()));
    }
    return ticks;
  }

  @Test
  void theMinuteStartsWithTheFirstSecondThatBeganAtTheHour() {
    long hour = 1_000_000;
    long[] misses = {0, 0, 500, 100, 10, 0};
    List<Long> at =
        List.of(hour - 1_500, hour - 500, hour + 500, hour + 1_500, hour + 2_500, hour + 3_500);
    // the tick at hour + 500 ends a second that began before the hour: the first counted is the
    // next
    NextHourStory.Measured m = NextHourStory.Measured.of("x", ticks(misses), at, hour, 3);
    assertEquals(3, m.seconds().size());
    assertEquals(0.9, m.hitRate(0, 1), 1e-9);
    assertEquals((3_000 - 110) / 3_000.0, m.hitRate(0, 3), 1e-9);
    assertEquals(110, m.dealMisses());
    assertEquals(110, m.queries());
    assertEquals(20, m.warmRowsBeforeTheHour());
    assertThrows(
        IllegalStateException.class,
        () -> NextHourStory.Measured.of("x", ticks(misses), at, hour, 4));
    String table = NextHourStory.table(List.of(m, m), 21);
    assertTrue(table.contains("after 21:00 UTC"), table);
    assertTrue(table.contains("90.0 %"), table);
  }

  @Test
  void aRecordedHourMovesWholeToYesterdaysSameHour() {
    try (RedisServer stats = RedisServer.start("--save", "");
        Jedis jedis = new Jedis(URI.create(stats.uri()))) {
      KeySchema schema = KeySchema.forApp(NextHourStory.APP);
      HourBucket recorded = HourBucket.parse("2026120120");
      HourBucket yesterday = HourBucket.parse("2026113021");
      jedis.zadd(schema.hourly(recorded, KeySchema.HourlySet.HITS), 7, "deal:21:1");
      jedis.zadd(schema.pairs(recorded), 2, "p");
      jedis.hset(schema.meta(recorded), "flushes", "3");
      assertEquals(3, NextHourStory.moveHour(stats, recorded, yesterday));
      assertEquals(
          7.0, jedis.zscore(schema.hourly(yesterday, KeySchema.HourlySet.HITS), "deal:21:1"));
      assertEquals("3", jedis.hget(schema.meta(yesterday), "flushes"));
      assertFalse(jedis.exists(schema.hourly(recorded, KeySchema.HourlySet.HITS)));
      assertFalse(jedis.exists(schema.pairs(recorded)));
    }
  }
}
