package dev.keywarm.analyzer.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.AgentWrites;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.analysis.Analysis;
import dev.keywarm.analyzer.analysis.AnalysisOptions;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.PlanField;
import dev.keywarm.schema.PairMember;
import dev.keywarm.schema.plan.PlanCodec;
import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.schema.ttl.TtlHistogram;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * What the warm-runner reads: the pointer, the ranked sets, the pairs, the TTLs, the meta, all with
 * expiry; and the plan read back through {@link PlanCodec} is the plan written, whatever the
 * writer's locale. TTLs: k:0 and k:1 were written with their own, the other k:{n} keys have only
 * their pattern's (mostly 10 min), "morning"'s pattern is mostly written without TTL, and "config"
 * has neither.
 */
class PlanWriterIT {

  static RedisServer redis;
  static Jedis jedis;
  static final KeySchema SCHEMA = KeySchema.forApp("planned");
  static Analysis analysis;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    jedis = new Jedis(redis.host(), redis.port());
    try (AgentWrites w = new AgentWrites(redis.host(), redis.port(), "planned")) {
      for (int day = 0; day < 2; day++) {
        for (int h = 0; h < 24; h++) {
          HourBucket hour = Fixtures.START.plusHours(24L * day + h);
          for (int k = 0; k < 30; k++) {
            w.hits(hour, "k:" + k, 100 - k);
          }
          if (h == 6) {
            w.misses(hour, "morning", 500);
          }
          w.hits(hour, "config", 90);
          w.pair(hour, "k:0", "k:1", 10);
        }
      }
      HourBucket first = Fixtures.START;
      HourBucket last = Fixtures.START.plusHours(47);
      w.ttl(first, "k:0", 30).ttl(last, "k:0", 90).ttl(first.plusHours(10), "k:1", -1);
      w.ttlWrites(first.plusHours(3), "k:{n}", 600_000, 40)
          .ttlWrites(last, "k:{n}", TtlHistogram.NONE, 5)
          .ttlWrites(last, "k:{n}", 30_000, 2)
          .ttlWrites(first.plusHours(6), "morning", TtlHistogram.NONE, 8)
          .ttlWrites(first.plusHours(30), "morning", 60_000, 2);
    }
    analysis =
        Fixtures.analyze(
            redis,
            "planned",
            new HourRange(Fixtures.START, Fixtures.START.plusHours(48)),
            AnalysisOptions.defaults().withPlanK(20));
  }

  @AfterAll
  static void stop() {
    jedis.close();
    redis.close();
  }

  @Test
  void writesAGenerationThenPointsAtIt() {
    String gen =
        new PlanWriter(jedis, SCHEMA)
            .write(analysis.plan(), Duration.ofDays(8), Instant.parse("2026-11-23T10:00:00Z"));
    assertEquals(gen, jedis.get(SCHEMA.currentPlan()));
    List<Tuple> overall = jedis.zrevrangeWithScores(SCHEMA.planOverall(gen), 0, -1);
    assertEquals(20, overall.size());
    assertEquals("k:0", overall.get(0).getElement());
    assertEquals(4800, overall.get(0).getScore(), 1e-9); // 100 reads × 48 hours
    assertEquals("k:1", overall.get(1).getElement());
    // 1,000 reads in all rank below the 30 steady keys, so not in an overall top 20
    assertTrue(overall.stream().noneMatch(t -> t.getElement().equals("morning")));
    List<String> six = jedis.zrevrange(SCHEMA.planHour(gen, 6), 0, 0);
    assertEquals(List.of("morning"), six);
    assertEquals(500, jedis.zscore(SCHEMA.planHour(gen, 6), "morning"), 1e-9); // per day
    assertEquals(null, jedis.zscore(SCHEMA.planHour(gen, 7), "morning"));
    List<byte[]> pairs =
        jedis.zrange(SCHEMA.planPairs(gen).getBytes(StandardCharsets.UTF_8), 0, -1);
    assertEquals(1, pairs.size());
    byte[][] pair = PairMember.decode(pairs.get(0));
    assertArrayEquals("k:0".getBytes(StandardCharsets.UTF_8), pair[0]);
    assertArrayEquals("k:1".getBytes(StandardCharsets.UTF_8), pair[1]);
    Map<String, String> meta = jedis.hgetAll(SCHEMA.planMeta(gen));
    assertEquals("2026110200", meta.get("range_from"));
    assertEquals("20", meta.get("k"));
    assertEquals(
        analysis.result().plan().expectedCoverage(),
        Double.parseDouble(meta.get("expected_coverage")),
        1e-4);
    assertTrue(meta.get("expected_coverage_hourly").contains("6="), meta.toString());
    for (String key :
        List.of(
            SCHEMA.currentPlan(),
            SCHEMA.planOverall(gen),
            SCHEMA.planHour(gen, 6),
            SCHEMA.planPairs(gen),
            SCHEMA.planTtls(gen),
            SCHEMA.planMeta(gen))) {
      long ttl = jedis.ttl(key);
      assertTrue(
          ttl > Duration.ofDays(7).toSeconds() && ttl <= Duration.ofDays(8).toSeconds(),
          key + " " + ttl);
    }
  }

  @Test
  void aPlanWrittenUnderAGermanLocaleReadsBackExactly() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      Analysis german =
          Fixtures.analyze(
              redis,
              "planned",
              new HourRange(Fixtures.START, Fixtures.START.plusHours(48)),
              AnalysisOptions.defaults().withPlanK(20));
      String gen =
          new PlanWriter(jedis, SCHEMA).write(german.plan(), Duration.ofDays(1), Instant.now());
      WarmPlan read =
          PlanCodec.read(SCHEMA, new PlanCodec.Query(hours(), 1_000, 0), new JedisReads());

      assertEquals(german.plan().overall(), read.overall());
      assertEquals(german.plan().hours(), read.hours());
      assertEquals(german.plan().pairs(), read.pairs());
      // read back by score, written in plan order: the same entries
      assertEquals(new HashSet<>(german.plan().ttls()), new HashSet<>(read.ttls()));
      assertFalse(read.ttls().isEmpty());
      assertEquals(
          german
              .plan()
              .meta()
              .with(PlanField.GENERATION, gen)
              .with(PlanField.EXPIRES_IN_SECONDS, Duration.ofDays(1).toSeconds()),
          read.meta());
      double coverage = read.meta().number(PlanField.EXPECTED_COVERAGE);
      assertEquals(german.result().plan().expectedCoverage(), coverage);
      assertTrue(coverage > 0 && coverage <= 1, "a share, not NaN: " + read.meta());
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void eachPlannedKeyCarriesItsOwnTtlElseItsPatterns() {
    String gen =
        new PlanWriter(jedis, SCHEMA).write(analysis.plan(), Duration.ofDays(1), Fixtures.NOW);
    WarmPlan read =
        PlanCodec.read(SCHEMA, new PlanCodec.Query(hours(), 1_000, 0), new JedisReads());
    assertEquals(gen, read.meta().text(PlanField.GENERATION));
    Map<String, Double> ttls = new HashMap<>();
    read.ttls().forEach(e -> ttls.put(new String(e.member(), StandardCharsets.UTF_8), e.score()));
    assertEquals(90_000, ttls.get("k:0"), "its own, from the newest hour that has it");
    assertEquals(WarmPlan.NO_TTL, ttls.get("k:1"), "its own none beats its pattern's 10 min");
    assertEquals(600_000, ttls.get("k:2"), "its pattern's median");
    assertEquals(WarmPlan.NO_TTL, ttls.get("morning"), "a pattern mostly written without TTL");
    assertTrue(ttls.containsKey("morning") && !ttls.containsKey("config"), ttls.toString());

    Set<String> planned = new HashSet<>();
    read.overall().forEach(e -> planned.add(new String(e.member(), StandardCharsets.UTF_8)));
    read.hours()
        .forEach(h -> h.forEach(e -> planned.add(new String(e.member(), StandardCharsets.UTF_8))));
    assertTrue(planned.contains("config") && planned.contains("morning"), planned.toString());
    planned.remove("config");
    assertEquals(planned, ttls.keySet(), "every planned key but the one with nothing known");
    assertEquals(planned.size(), analysis.result().plan().ttls());
  }

  private static List<Integer> hours() {
    return java.util.stream.IntStream.range(0, 24).boxed().toList();
  }

  /** The runner's reads, over this test's Jedis. */
  private static final class JedisReads implements PlanCodec.Reads {
    @Override
    public String get(String key) {
      return jedis.get(key);
    }

    @Override
    public List<WarmPlan.Entry> byRank(String key, long start, long stop) {
      return entries(jedis.zrevrangeWithScores(key.getBytes(StandardCharsets.UTF_8), start, stop));
    }

    @Override
    public List<WarmPlan.Entry> byScore(String key, double min, int count) {
      return entries(
          jedis.zrevrangeByScoreWithScores(
              key.getBytes(StandardCharsets.UTF_8), Double.POSITIVE_INFINITY, min, 0, count));
    }

    @Override
    public Map<String, String> hgetAll(String key) {
      return jedis.hgetAll(key);
    }

    private static List<WarmPlan.Entry> entries(List<Tuple> tuples) {
      return tuples.stream()
          .map(t -> new WarmPlan.Entry(t.getBinaryElement(), t.getScore()))
          .toList();
    }
  }

  @Test
  void aNewGenerationLeavesTheOldOneIntactUntilItExpires() {
    PlanWriter writer = new PlanWriter(jedis, SCHEMA);
    String first = writer.write(analysis.plan(), Duration.ofHours(1), Instant.now());
    String second = writer.write(analysis.plan(), Duration.ofHours(1), Instant.now());
    assertNotEquals(first, second);
    assertEquals(second, jedis.get(SCHEMA.currentPlan()));
    assertEquals(20, jedis.zcard(SCHEMA.planOverall(first)));
    assertEquals(20, jedis.zcard(SCHEMA.planOverall(second)));
  }
}
