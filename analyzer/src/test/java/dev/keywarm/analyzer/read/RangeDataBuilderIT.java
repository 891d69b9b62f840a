package dev.keywarm.analyzer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.AgentWrites;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.HourlyWrites;
import dev.keywarm.analyzer.analysis.Analysis;
import dev.keywarm.analyzer.analysis.AnalysisOptions;
import dev.keywarm.analyzer.report.HtmlReport;
import dev.keywarm.analyzer.report.JsonReport;
import dev.keywarm.analyzer.report.TextReport;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * The in-memory {@link RangeDataBuilder} the unit tests use reads what {@link HourlyStatsReader}
 * reads: one fixture recorded call for call into a real Redis and into the builder must give the
 * same {@link RangeData} — every key in the same id order, every sum, breakdown, pair and meta
 * count to the last bit — and so the same analysis: JSON, text and HTML reports and plan. The
 * fixture has what the unit tests record and what could tell the two apart: Zipf traffic with
 * fractional counts, misses and timed loads; one hour of two ZRANGE pages; two weeks of a daily
 * rhythm with hours missing in between; scores that tie (ids by member bytes, unsigned, as Redis
 * orders them); binary keys; pairs of keys never read and members that are not pairs; meta fields
 * incremented, set, and set to a non-number; data just outside the range. It is read over the whole
 * range, with a half-life, over part of it, and with the last hours still being written (scanned:
 * those sets are small, so a scan returns them in rank order).
 */
class RangeDataBuilderIT {

  static final String APP = "both-ways";
  static final HourBucket END = Fixtures.START.plusHours(15 * 24);
  static final AnalysisOptions OPTIONS = AnalysisOptions.defaults().withMinPairSupport(5);
  static RedisServer redis;
  static final RangeDataBuilder inMemory = new RangeDataBuilder(APP);

  @BeforeAll
  static void record() {
    redis = RedisServer.start();
    try (AgentWrites toRedis = new AgentWrites(redis.host(), redis.port(), APP)) {
      record(toRedis);
    }
    record(inMemory);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  /** The fixture: the same calls, in the same order, whichever side records them. */
  static void record(HourlyWrites w) {
    Random random = new Random(16);
    double[] cdf = Fixtures.zipfCdf(600, 1.0);
    for (int h = 0; h < 72; h++) { // three whole days of Zipf traffic
      HourBucket hour = Fixtures.START.plusHours(h);
      int[] counts = new int[600];
      for (int i = 0; i < 5_000; i++) {
        counts[Fixtures.sample(cdf, random)]++;
      }
      for (int k = 0; k < counts.length; k++) {
        String key = (k % 3 == 0 ? "misc:" : "product:") + k;
        double misses = Math.ceil(counts[k] * 0.1);
        w.hits(hour, key, counts[k] * 0.9).misses(hour, key, misses);
        if (k % 3 != 0) {
          w.loads(hour, key, misses, 1500.25 + k);
        }
      }
      for (int a = 0; a < 30; a++) {
        int b = random.nextInt(60);
        if (a != b) {
          w.pair(hour, "product:" + a, "product:" + b, 1 + random.nextInt(20));
        }
      }
      w.pair(hour, "ghost:a", "ghost:b", 3); // keys with pairs but no reads
      if (h % 4 == 0) {
        w.meta(hour, MetaField.FLUSHES, 4).meta(hour, MetaField.DROPPED_HITS, h % 7);
      }
    }
    HourBucket wide = Fixtures.START.plusHours(5); // two pages, many tied scores
    for (int i = 0; i < HourlyStatsReader.PAGE + 17; i++) {
      w.hits(wide, "wide:" + i, 1 + i % 4);
    }
    for (int day = 0; day < 15; day++) { // a daily rhythm over two weeks, other hours missing
      for (int h = 10; h < 14; h++) {
        HourBucket hour = Fixtures.START.plusHours(24L * day + h);
        for (int k = 0; k < 20; k++) {
          w.hits(hour, "menu:" + k, 50 - k % 5); // ties of four keys each
        }
        if (day % 7 >= 5) {
          w.hits(hour, "weekend:brunch", 500).misses(hour, "weekend:brunch", 20);
        }
        // equal scores: Redis orders 0x7f before 0x80 (unsigned), a signed compare would not
        w.hits(hour, new byte[] {(byte) 0x80, 1}, 7)
            .hits(hour, new byte[] {0x7f, 1}, 7)
            .misses(hour, new byte[] {(byte) 0xfe, 0, 'x'}, 2);
        w.pair(hour, "menu:0", "menu:1", 30).pair(hour, "menu:1", "weekend:brunch", 2);
      }
      w.meta(Fixtures.START.plusHours(24L * day + 12), MetaField.LOST_READS, day);
    }
    for (int k = 0; k < 5; k++) { // keys first read in an hour that may be scanned
      w.misses(Fixtures.START.plusHours(14 * 24 + 12), "late:" + k, 3);
    }
    w.rawPairMember(Fixtures.START, "not a pair".getBytes(StandardCharsets.UTF_8), 3)
        .rawPairMember(Fixtures.START.plusHours(34), new byte[] {0, 0, 0, 9, 'a'}, 1)
        .rawPairMember(Fixtures.START.plusHours(34), new byte[] {1}, 2);
    w.hset(Fixtures.START, "lost_events", "300", "unwritten_reads", " 12 ", "agent", "1.x")
        .hset(Fixtures.START.plusHours(1), "lost_events", "7")
        .meta(Fixtures.START.plusHours(1), MetaField.LOST_EVENTS, 5)
        .meta(Fixtures.START.plusHours(50), MetaField.TRUNCATED_KEYS, 0);
    w.hits(Fixtures.START.plusHours(-2), "before:range", 900).hits(END, "after:range", 900);
    // TTLs: a key's own in several hours (the newest in range wins), patterns' histograms, a
    // pattern written but never read, and TTLs outside the range
    for (int h = 0; h < 72; h += 7) {
      HourBucket hour = Fixtures.START.plusHours(h);
      w.ttl(hour, "product:" + h, 60 + h).ttl(hour, "product:1", h == 63 ? -1 : 300 + h);
      w.ttlWrites(hour, "product:{n}", 600_000, 10 + h).ttlWrites(hour, "misc:{n}", -1, 3);
      w.ttlWrites(hour, "misc:{n}", 1_500, 2).ttlWrites(hour, "audit:{n}", 86_000_000, 1);
    }
    w.ttl(Fixtures.START.plusHours(-2), "menu:0", 5).ttl(END, "menu:1", 5);
    w.ttlWrites(END, "menu:{n}", 1_000, 50);
  }

  /** One way of reading: the range, the half-life, the current hour (null: the system clock's). */
  record Read(String name, HourRange range, double halfLife, HourBucket current) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Read> reads() {
    HourRange all = new HourRange(Fixtures.START, END);
    return Stream.of(
        new Read("whole range", all, 0, null),
        new Read("half-life 6 h", all, 6, null),
        new Read(
            "part of the range",
            new HourRange(Fixtures.START.plusHours(3), END.plusHours(-30)),
            0,
            null),
        new Read(
            "the last hours still being written",
            all,
            2.5,
            Fixtures.START.plusHours(14 * 24 + 11)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reads")
  void theBuilderReadsWhatTheReaderReadsFromRedis(Read read) {
    RangeData fromRedis;
    RangeData fromMemory;
    if (read.current() == null) {
      fromRedis = Fixtures.read(redis, APP, read.range(), read.halfLife());
      fromMemory = inMemory.build(read.range(), read.halfLife());
    } else {
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        fromRedis =
            new HourlyStatsReader(jedis, KeySchema.forApp(APP))
                .read(read.range(), read.halfLife(), read.current());
      }
      fromMemory = inMemory.build(read.range(), read.halfLife(), read.current());
      assertFalse(fromRedis.partialHours().isEmpty(), "some hours were scanned");
    }
    assertTrue(
        fromRedis.keys().size() > HourlyStatsReader.PAGE,
        "the fixture was read: " + fromRedis.keys().size());
    assertSameData(fromRedis, fromMemory);

    Analysis redisAnalysis;
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      redisAnalysis =
          Fixtures.analyze(fromRedis, OPTIONS, new HourlyTtlReader(jedis, KeySchema.forApp(APP)));
    }
    Analysis memoryAnalysis = Fixtures.analyze(fromMemory, OPTIONS, inMemory.keyTtls());
    assertEquals(
        JsonReport.render(redisAnalysis.result()), JsonReport.render(memoryAnalysis.result()));
    assertEquals(
        TextReport.render(redisAnalysis.result()), TextReport.render(memoryAnalysis.result()));
    assertEquals(
        HtmlReport.render(redisAnalysis.result()), HtmlReport.render(memoryAnalysis.result()));
    assertEquals(redisAnalysis.plan(), memoryAnalysis.plan());
    assertFalse(redisAnalysis.result().pairs().top().isEmpty(), "pairs were analysed");
    assertFalse(redisAnalysis.plan().ttls().isEmpty(), "TTLs were planned");
  }

  /**
   * Everything a {@link RangeData} holds is equal: keys in the same id order, exact doubles, the
   * same breakdowns (allocated for the same hours and days), pairs, hours and meta.
   */
  static void assertSameData(RangeData expected, RangeData actual) {
    assertEquals(expected.app(), actual.app());
    assertEquals(expected.range(), actual.range());
    assertEquals(expected.halfLifeHours(), actual.halfLifeHours());
    assertEquals(expected.presentHours(), actual.presentHours(), "present hours");
    assertEquals(expected.missingHours(), actual.missingHours(), "missing hours");
    assertEquals(expected.heldOutHours(), actual.heldOutHours(), "held-out hours");
    assertEquals(expected.partialHours(), actual.partialHours(), "partial hours");
    assertEquals(expected.meta(), actual.meta(), "meta");
    assertEquals(expected.pairHours(), actual.pairHours(), "pair hours");
    assertEquals(expected.skippedPairMembers(), actual.skippedPairMembers(), "skipped members");
    KeyTable e = expected.keys();
    KeyTable a = actual.keys();
    assertEquals(e.size(), a.size(), "keys");
    HexFormat hex = HexFormat.of();
    for (int id = 0; id < e.size(); id++) {
      String key = "key " + id + " (" + hex.formatHex(e.key(id)) + ")";
      assertEquals(hex.formatHex(e.key(id)), hex.formatHex(a.key(id)), "key " + id);
      assertEquals(e.hits(id), a.hits(id), key + " hits");
      assertEquals(e.misses(id), a.misses(id), key + " misses");
      assertEquals(e.decayedReads(id), a.decayedReads(id), key + " decayed reads");
      assertEquals(e.loads(id), a.loads(id), key + " loads");
      assertEquals(e.loadMicros(id), a.loadMicros(id), key + " load µs");
    }
    for (int i = 0; i < 24; i++) {
      assertSameReads(e.hourOfDay(i), a.hourOfDay(i), e, "hour of day " + i);
      assertSameReads(e.heldOut(i), a.heldOut(i), e, "held out, hour of day " + i);
    }
    for (int i = 0; i < 7; i++) {
      assertSameReads(e.dayOfWeek(i), a.dayOfWeek(i), e, "day of week " + i);
    }
    assertEquals(pairs(expected), pairs(actual), "pairs");
    assertEquals(ttls(expected), ttls(actual), "TTLs per pattern");
  }

  /** Pattern → TTL bucket → writes. */
  private static Map<String, Map<Long, Long>> ttls(RangeData d) {
    Map<String, Map<Long, Long>> ttls = new HashMap<>();
    d.patternTtls().patterns().forEach(p -> ttls.put(p, d.patternTtls().of(p).counts()));
    return ttls;
  }

  private static void assertSameReads(float[] expected, float[] actual, KeyTable t, String what) {
    assertEquals(expected == null, actual == null, what + " allocated");
    for (int id = 0; expected != null && id < t.size(); id++) {
      assertEquals(expected[id], actual[id], what + ", key " + id);
    }
  }

  /** Ordered pairs by ids, with their counts. */
  private static Map<List<Integer>, Double> pairs(RangeData d) {
    Map<List<Integer>, Double> pairs = new HashMap<>();
    d.pairs().forEach((a, b, count) -> pairs.put(List.of(a, b), count));
    assertEquals(d.pairs().size(), pairs.size());
    return pairs;
  }
}
