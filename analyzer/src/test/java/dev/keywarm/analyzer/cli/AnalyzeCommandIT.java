package dev.keywarm.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keywarm.analyzer.AgentWrites;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The command end to end against a real Redis: three formats, the plan, and the failure modes. */
class AnalyzeCommandIT {

  static RedisServer redis;
  static RedisServer locked;
  static final HourBucket END = Fixtures.START.plusHours(48);

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    locked = RedisServer.start("--requirepass", "s3cret");
    Random random = new Random(5);
    double[] cdf = Fixtures.zipfCdf(400, 1.1);
    try (AgentWrites w = new AgentWrites(redis.host(), redis.port(), "shop")) {
      for (int h = 0; h < 48; h++) {
        if (h == 20 || h == 21) {
          continue; // two missing hours
        }
        HourBucket hour = Fixtures.START.plusHours(h);
        int[] counts = new int[400];
        for (int i = 0; i < 4000; i++) {
          counts[Fixtures.sample(cdf, random)]++;
        }
        for (int k = 0; k < 400; k++) {
          w.hits(hour, "product:" + k + ":detail", counts[k] * 0.9);
          w.misses(hour, "product:" + k + ":detail", Math.ceil(counts[k] * 0.1));
          w.loads(hour, "product:" + k + ":detail", Math.ceil(counts[k] * 0.1), 2000 + k);
        }
        w.pair(hour, "product:0:detail", "product:1:detail", 50);
      }
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
    locked.close();
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    return runAt(Clock.systemUTC(), args);
  }

  static Run runAt(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = AnalyzeCommand.commandLine(clock);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void textReportHasEverySection() {
    Run r =
        run(
            "--redis",
            redis.uri(),
            "--app",
            "shop",
            "--days",
            "2",
            "--to",
            END.format(),
            "--no-plan");
    assertEquals(0, r.code(), r.err());
    for (String section :
        new String[] {
          "Expected coverage (backtest)",
          "Zipf",
          "Coverage",
          "Hot keys",
          "Hours of day",
          "Pairs read together",
          "Key patterns",
          "Plan",
          "Notes"
        }) {
      assertTrue(r.out().contains(section), section + "\n" + r.out());
    }
    assertTrue(r.out().contains("product:{n}:detail"), r.out());
    assertTrue(r.out().contains("2 of 48 hours have no data"), r.out());
  }

  @Test
  void jsonReportIsVersionedAndComplete(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.json");
    Run r =
        run(
            "--redis",
            redis.uri(),
            "--app",
            "shop",
            "--days",
            "2",
            "--to",
            END.format(),
            "--format",
            "json",
            "--out",
            file.toString(),
            "--k",
            "50");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertEquals("keywarm-analysis", json.get("schema").asText());
    assertEquals(1, json.get("schemaVersion").asInt());
    for (String field :
        new String[] {
          "range",
          "totals",
          "zipf",
          "coverage",
          "hotSet",
          "hourly",
          "pairs",
          "patterns",
          "backtest",
          "plan",
          "notes"
        }) {
      assertNotNull(json.get(field), field);
    }
    assertEquals(46, json.at("/range/hoursWithData").asInt());
    assertEquals("2026110220..2026110221", json.at("/range/missingHours/0").asText());
    assertEquals("product:0:detail", json.at("/hotSet/keys/0/key").asText());
    assertTrue(json.at("/hotSet/keys/0/savedMs").asDouble() > 0);
    assertEquals("product:0:detail", json.at("/pairs/top/0/a").asText());
    // the plan the report names is the one the runner finds
    String generation = json.at("/plan/generation").asText();
    KeySchema schema = KeySchema.forApp("shop");
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      assertEquals(generation, jedis.get(schema.currentPlan()));
      assertEquals(50, jedis.zcard(schema.planOverall(generation)));
      assertEquals(
          json.at("/plan/expectedCoverage").asDouble(),
          Double.parseDouble(jedis.hget(schema.planMeta(generation), "expected_coverage")),
          1e-4);
    }
  }

  @Test
  void htmlReportIsSelfContained(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.html");
    Run r =
        run(
            "--redis",
            redis.uri(),
            "--app",
            "shop",
            "--days",
            "2",
            "--to",
            END.format(),
            "--format",
            "html",
            "--out",
            file.toString(),
            "--no-plan");
    assertEquals(0, r.code(), r.err());
    String html = Files.readString(file);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertEquals(3, html.split("<svg ", -1).length - 1, "rank-frequency, coverage, heatmap");
    assertFalse(html.contains("<script"));
    assertFalse(html.matches("(?s).*(src|href)=\"https?:.*"), "no network resources");
    assertTrue(html.contains("product:{n}:detail"));
  }

  @Test
  void valueSizesSampledFromACacheGiveMemoryPerTarget(@TempDir Path dir) throws Exception {
    try (RedisServer cache = RedisServer.start();
        Jedis jedis = new Jedis(cache.host(), cache.port())) {
      for (int k = 0; k < 400; k++) {
        if (k % 10 != 9) { // a tenth of the keys are not cached right now
          jedis.set("product:" + k + ":detail", "x".repeat(1000));
        }
      }
      Path file = dir.resolve("report.json");
      Run r =
          run(
              "--redis",
              redis.uri(),
              "--app",
              "shop",
              "--days",
              "2",
              "--to",
              END.format(),
              "--format",
              "json",
              "--out",
              file.toString(),
              "--no-plan",
              "--sample-value-sizes",
              cache.uri());
      assertEquals(0, r.code(), r.err());
      JsonNode target =
          new ObjectMapper().readTree(Files.readString(file)).at("/coverage/targets/1");
      long k = target.get("k").asLong();
      int sampled = target.get("sampledKeys").asInt();
      assertEquals(k, sampled); // fewer keys than the sample size: all of them
      assertTrue(
          target.get("foundKeys").asInt() < sampled
              && target.get("foundKeys").asInt() > 0.8 * sampled);
      long bytes = target.get("memoryBytes").asLong();
      // a 1,000-byte string costs 1,000 bytes plus Redis's per-key overhead (tens of bytes)
      assertTrue(bytes > 1000 * k && bytes < 1200 * k, bytes + " for " + k + " keys");
    }
  }

  @Test
  void noDataIsAnErrorNotAnEmptyReport() {
    Run r = run("--redis", redis.uri(), "--app", "nobody", "--to", END.format());
    assertEquals(AnalyzeCommand.NO_DATA, r.code());
    assertTrue(r.err().contains("no reads recorded for app 'nobody'"), r.err());
    assertEquals("", r.out());
  }

  /**
   * Right after a short run every read is in the hour still being written: say so; read it on
   * request.
   */
  @Test
  void aRunInTheCurrentHourIsFoundWithIncludeCurrentHour() throws Exception {
    HourBucket current = Fixtures.START.plusHours(100);
    Clock clock =
        Clock.fixed(
            java.time.Instant.ofEpochMilli(current.startMillis() + 20 * 60_000),
            java.time.ZoneOffset.UTC);
    try (AgentWrites w = new AgentWrites(redis.host(), redis.port(), "justnow")) {
      for (int k = 0; k < 30; k++) {
        w.hits(current, "item:" + k, 100 - k);
      }
      w.misses(current, "item:0", 7);
    }

    Run complete =
        runAt(clock, "--redis", redis.uri(), "--app", "justnow", "--days", "1", "--no-plan");
    assertEquals(AnalyzeCommand.NO_DATA, complete.code());
    assertEquals(
        "keywarm analyze: no complete hour of data for app 'justnow' in 2026110504..2026110604 "
            + "(UTC hours, end exclusive); the current hour 2026110604 (since 04:00 UTC, still being "
            + "written) has reads of at least 30 keys: pass --include-current-hour to include it, or wait "
            + "until 05:00 UTC",
        complete.err().strip());

    Run withCurrent =
        runAt(
            clock,
            "--redis",
            redis.uri(),
            "--app",
            "justnow",
            "--days",
            "1",
            "--no-plan",
            "--include-current-hour",
            "--format",
            "json");
    assertEquals(0, withCurrent.code(), withCurrent.err());
    JsonNode json = new ObjectMapper().readTree(withCurrent.out());
    assertEquals("2026110605", json.at("/range/to").asText());
    assertEquals("2026110604", json.at("/range/partialHours/0").asText());
    assertEquals(30 * (100 + 71) / 2 + 7, json.at("/totals/reads").asDouble());
    assertEquals("item:0", json.at("/hotSet/keys/0/key").asText());

    Run both =
        runAt(
            clock,
            "--redis",
            redis.uri(),
            "--app",
            "justnow",
            "--include-current-hour",
            "--to",
            current.format());
    assertEquals(2, both.code());
  }

  @Test
  void badRedisIsOneClearLine() {
    Run url = run("--redis", "http://nope", "--app", "shop");
    assertEquals(AnalyzeCommand.REDIS_UNUSABLE, url.code());
    assertEquals(1, url.err().strip().lines().count(), url.err());
    String wrong = "redis://:wrong@" + locked.host() + ":" + locked.port();
    Run auth = run("--redis", wrong, "--app", "shop");
    assertEquals(AnalyzeCommand.REDIS_UNUSABLE, auth.code());
    assertEquals(1, auth.err().strip().lines().count(), auth.err());
    assertTrue(auth.err().contains("WRONGPASS") || auth.err().contains("invalid"), auth.err());
    assertFalse(auth.err().contains("wrong@"), "the password must not be printed: " + auth.err());
    Run down = run("--redis", "redis://127.0.0.1:1", "--app", "shop");
    assertEquals(AnalyzeCommand.REDIS_UNUSABLE, down.code());
    assertEquals(1, down.err().strip().lines().count(), down.err());
  }

  /** On Redis Cluster the app's keys live on the node owning its hash tag; any seed node works. */
  @Test
  void followsTheAppToItsClusterNode() {
    try (dev.keywarm.testsupport.RedisCluster cluster =
        dev.keywarm.testsupport.RedisCluster.start(3)) {
      String app = "clustered";
      long slot = (Long) cluster.nodes().get(0).command("CLUSTER", "KEYSLOT", "{" + app + "}");
      RedisServer owner = cluster.nodes().get((int) Math.min(2, slot / (16384 / 3)));
      RedisServer seed = cluster.nodes().get(owner == cluster.nodes().get(0) ? 1 : 0);
      try (AgentWrites w = new AgentWrites(owner.host(), owner.port(), app)) {
        for (int h = 0; h < 3; h++) {
          for (int k = 0; k < 50; k++) {
            w.hits(Fixtures.START.plusHours(h), "item:" + k, 100 - k);
          }
        }
      }
      Run r =
          run(
              "--redis",
              seed.uri(),
              "--app",
              app,
              "--days",
              "1",
              "--to",
              Fixtures.START.plusHours(3).format(),
              "--format",
              "json");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("item:0"), r.out());
      assertTrue(
          owner.command("GET", dev.keywarm.schema.KeySchema.forApp(app).currentPlan()) != null,
          "the plan was written on the owner node");
    }
  }
}
