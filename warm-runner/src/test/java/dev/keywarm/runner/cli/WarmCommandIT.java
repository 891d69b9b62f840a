package dev.keywarm.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import dev.keywarm.testsupport.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import redis.clients.jedis.JedisPooled;

/** The CLI's exit code says whether the target coverage was reached. */
class WarmCommandIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  JedisPooled jedis;
  KeySchema schema = KeySchema.forApp("cliapp");

  @BeforeEach
  void clean() {
    REDIS.server().flushAll();
    jedis = new JedisPooled(java.net.URI.create(REDIS.server().uri()));
  }

  /** A plan for the real current hour (the CLI uses the system clock). */
  private void plan(Map<String, Double> keys) {
    int hour = HourBucket.of(Instant.now()).hourOfDay();
    jedis.zadd(schema.planHour("g1", hour), keys);
    jedis.zadd(schema.planHour("g1", (hour + 1) % 24), keys); // in case the hour turns meanwhile
    jedis.set(schema.currentPlan(), "g1");
  }

  private int run(String... args) {
    String[] isolated = java.util.Arrays.copyOf(args, args.length + 2);
    isolated[args.length] = "--plan-snapshot"; // tests must not share the host's snapshot
    isolated[args.length + 1] = "none";
    return new CommandLine(new WarmCommand()).execute(isolated);
  }

  @Test
  void exitsZeroWhenCoverageIsReached() {
    plan(Map.of("svc:1", 3.0, "svc:2", 2.0)); // svc:* loaded by the test's ServiceLoader provider
    assertEquals(0, run("--redis", REDIS.server().uri(), "--app", "cliapp", "--progress", "lines"));
    assertEquals("from-service-loader:svc:1", jedis.get("svc:1"));
    assertEquals("completed", jedis.hget(schema.warmLastResult(), "status"));
  }

  @Test
  void exitsNonZeroWhenCoverageFallsShort() {
    plan(Map.of("svc:1", 1.0, "nobody-loads-this", 9.0));
    assertEquals(
        1, run("--redis", REDIS.server().uri(), "--app", "cliapp", "--target-coverage", "0.5"));
    assertEquals(
        0, run("--redis", REDIS.server().uri(), "--app", "cliapp", "--target-coverage", "0.1"));
  }

  /** A plan of raw members (hash-field members among them) for the real current hour. */
  private void planMembers(Map<byte[], Double> members) {
    int hour = HourBucket.of(Instant.now()).hourOfDay();
    for (int h : new int[] {hour, (hour + 1) % 24}) {
      jedis.zadd(schema.planHour("g1", h).getBytes(StandardCharsets.UTF_8), members);
    }
    jedis.set(schema.currentPlan(), "g1");
  }

  private static byte[] field(String key, String field) {
    return FieldMember.encode(
        key.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void copyFromCopiesPlannedKeysAndHashFields() {
    try (RedisServer source = RedisServer.start("--save", "");
        JedisPooled src = new JedisPooled(java.net.URI.create(source.uri()))) {
      src.setex("k:1", 1000, "key-value");
      src.hset("h:1", "f", "field-value");
      planMembers(Map.of("k:1".getBytes(StandardCharsets.UTF_8), 2.0, field("h:1", "f"), 1.0));
      appHash("h:1");

      assertEquals(
          0, run("--redis", REDIS.server().uri(), "--app", "cliapp", "--copy-from", source.uri()));

      assertEquals("key-value", jedis.get("k:1"));
      assertEquals("field-value", jedis.hget("h:1", "f"));
      assertEquals("2", jedis.hget(schema.warmLastResult(), "warmed"));
    }
  }

  @Test
  void anHttpTemplateWithFieldLoadsHashFieldsOnly() throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          byte[] body = ("got " + exchange.getRequestURI().getRawPath()).getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    try {
      planMembers(
          Map.of(
              field("user:42", "name"), 3.0,
              "user:7".getBytes(StandardCharsets.UTF_8), 2.0, // a plain key: not this template's
              field("other:1", "x"), 1.0,
              field("svcf:1", "a"), 0.5)); // the test's ServiceLoader provider loads it
      appHash("user:42");
      appHash("svcf:1");
      String base = "http://127.0.0.1:" + http.getAddress().getPort();

      assertEquals(
          0,
          run(
              "--redis",
              REDIS.server().uri(),
              "--app",
              "cliapp",
              "--target-coverage",
              "0.1",
              "--http",
              "user:*=" + base + "/users/{2}/{field}"));

      assertEquals("got /users/42/name", jedis.hget("user:42", "name"));
      assertEquals(false, jedis.exists("user:7"));
      assertEquals("from-service-loader:a", jedis.hget("svcf:1", "a"));
      assertEquals("2", jedis.hget(schema.warmLastResult(), "warmed"));
      assertEquals("2", jedis.hget(schema.warmLastResult(), "no_loader"));
      assertEquals("1", jedis.hget(schema.warmLastResult(), "no_field_loader"));
    } finally {
      http.stop(0);
    }
  }

  @Test
  void exitsNonZeroWithAClearErrorWhenRedisIsDown() {
    RedisServer dead = RedisServer.start("--save", "");
    String uri = dead.uri();
    dead.close();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try {
      assertEquals(1, run("--redis", uri, "--app", "cliapp", "--redis-give-up", "300ms"));
    } finally {
      System.setErr(err);
    }
    assertTrue(captured.toString().contains("unreachable"), captured.toString());
  }

  @Test
  void badArgumentsExitTwo() {
    assertEquals(2, run("--app", "cliapp"));
    assertEquals(2, run("--redis", REDIS.server().uri(), "--app", "cliapp", "--timeout", "soon"));
  }

  @Test
  void progressBarDrawsOneOverwritingLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(out, true));
    bar.draw(
        new dev.keywarm.runner.WarmProgress(
            "warming",
            10,
            5,
            5,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            50,
            0.5,
            8,
            8,
            0,
            java.time.Duration.ofSeconds(1)));
    bar.finish();
    String text = out.toString();
    assertTrue(
        text.startsWith("\r[keywarm] [###############---------------]  50% 5/10 keys"), text);
    assertTrue(text.endsWith(System.lineSeparator()));
  }

  /**
   * The application's hash at {@code key}, with a TTL: fields are warmed into it on every server
   * version (before Redis 7.4 the warm creates no hash).
   */
  private void appHash(String key) {
    jedis.hset(key, "app", "x");
    jedis.pexpire(key, 600_000);
  }
}
