package dev.keywarm.runner.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.keywarm.runner.WarmHandle;
import dev.keywarm.runner.WarmResult;
import dev.keywarm.runner.WarmRunner;
import dev.keywarm.runner.WarmStatus;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The HTTP template loader against a real HTTP server (JDK) and a real Redis. */
class HttpTemplateLoaderIT {

  static final Instant NOW = Instant.parse("2026-11-23T10:30:00Z");
  static RedisServer redis;
  static HttpServer http;
  static final List<String> paths = new CopyOnWriteArrayList<>();
  static JedisPooled jedis;
  final KeySchema schema = KeySchema.forApp("httpapp");

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    jedis = new JedisPooled(java.net.URI.create(redis.uri()));
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getRawPath();
          paths.add(path);
          int status = 200;
          String body;
          if (path.startsWith("/products/")) {
            String id = path.substring("/products/".length());
            if (id.equals("404")) {
              status = 404;
            } else if (id.equals("500")) {
              status = 500;
            }
            body = "{\"id\":\"" + id + "\"}";
            if (id.equals("7")) {
              exchange.getResponseHeaders().set("Cache-Control", "public, max-age=600");
            }
          } else if (path.startsWith("/users/")) {
            body = "field " + path.substring("/users/".length());
            if (path.endsWith("/404")) {
              status = 404;
            }
          } else {
            // cache-aside endpoint: fills the cache itself, answers something else
            String key = "user:" + path.substring("/fill/".length());
            jedis.set(key, "filled-by-app");
            body = "ok";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    http.start();
  }

  @AfterAll
  static void stop() {
    http.stop(0);
    jedis.close();
    redis.close();
  }

  @BeforeEach
  void clean() {
    redis.flushAll();
    paths.clear();
  }

  private String base() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  @Test
  void buildsUrlsFromKeySegments() {
    HttpTemplateLoader loader =
        new HttpTemplateLoader(
            base() + "/products/{2}?view={3}&k={key}",
            ":",
            HttpTemplateLoader.Store.BODY,
            Duration.ofSeconds(1));
    assertEquals(
        base() + "/products/42?view=detail&k=product%3A42%3Adetail",
        loader.url("product:42:detail").toString());
    assertEquals(
        base() + "/products/a%20b?view=x&k=product%3Aa%20b%3Ax",
        loader.url("product:a b:x").toString());
    assertThrows(IllegalArgumentException.class, () -> loader.url("product"));
  }

  @Test
  void storeBodyWritesTheResponseAndCountsMissingAndFailures() {
    int hour = HourBucket.of(NOW).hourOfDay();
    jedis.zadd(
        schema.planHour("g1", hour),
        Map.of(
            "product:42:detail",
            5.0,
            "product:7:detail",
            4.0,
            "product:404:detail",
            3.0,
            "product:500:detail",
            2.0));
    jedis.set("product:42:detail", "app-wrote-this-first");
    jedis.set(schema.currentPlan(), "g1");

    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("httpapp")
            .redis(redis.uri())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .serviceLoaders(false)
            .jmx(false)
            .maxErrorRate(1.0)
            .loader(
                "product:*",
                new HttpTemplateLoader(
                    base() + "/products/{2}",
                    ":",
                    HttpTemplateLoader.Store.BODY,
                    Duration.ofSeconds(2)))
            .defaultTtl(Duration.ofSeconds(100))
            .build()
            .run();

    assertEquals("{\"id\":\"7\"}", jedis.get("product:7:detail"));
    long ttl = jedis.ttl("product:7:detail");
    // 600 s (max-age), less the default jitter of up to a fifth
    assertTrue(ttl >= 479 && ttl <= 600, "max-age not used as TTL: " + ttl);
    assertEquals("app-wrote-this-first", jedis.get("product:42:detail"));
    assertNull(jedis.get("product:404:detail"));
    assertNull(jedis.get("product:500:detail"));
    assertEquals(1, result.progress().warmed());
    assertEquals(1, result.progress().skippedExisting());
    assertEquals(1, result.progress().missing());
    assertEquals(1, result.progress().failed());
  }

  /**
   * A backend that answers in 50 ms, fails 20 % of requests at once (HTTP 500) and never answers 8
   * requests in a row within the 1 s timeout. Timeouts are counted as timeouts (whether the HTTP
   * client or the watchdog gives up first), errors as failures; the errors never cut concurrency,
   * and the 8 timeouts — all in flight together, one round — cut it once, from 8 to 4. Latency
   * alone cannot cut it here: a normal answer would have to take over 150 ms, 3× the 50 ms
   * baseline.
   */
  @Test
  void timeoutsAreTheirOwnOutcomeAndCutConcurrencyOncePerRound() throws Exception {
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService threads = Executors.newCachedThreadPool();
    backend.setExecutor(threads);
    backend.createContext(
        "/",
        exchange -> {
          int id =
              Integer.parseInt(exchange.getRequestURI().getPath().substring("/items/".length()));
          int status = 200;
          try {
            if (id % 5 == 4) {
              status = 500;
            } else {
              Thread.sleep(slowItem(id) ? 3_000 : 50);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = ("item " + id).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          } catch (java.io.IOException gone) {
            // the client timed out and closed the connection
          }
        });
    backend.start();
    try {
      Map<String, Double> plan = new java.util.HashMap<>();
      for (int i = 0; i < 100; i++) {
        plan.put("item:" + i, 100.0 - i); // warmed in id order
      }
      jedis.zadd(schema.planHour("g1", HourBucket.of(NOW).hourOfDay()), plan);
      jedis.set(schema.currentPlan(), "g1");
      // generous beside the 50 ms answers: a shared, loaded CI machine must not time them out
      Duration timeout = Duration.ofMillis(1_000);
      WarmHandle handle =
          WarmRunner.builder()
              .planSnapshot(null)
              .app("httpapp")
              .redis(redis.uri())
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .serviceLoaders(false)
              .jmx(false)
              .maxErrorRate(1.0)
              .concurrency(8)
              .ratePerSecond(0)
              .callTimeout(timeout)
              .loader(
                  "item:*",
                  new HttpTemplateLoader(
                      "http://127.0.0.1:" + backend.getAddress().getPort() + "/items/{2}",
                      ":",
                      HttpTemplateLoader.Store.BODY,
                      timeout))
              .build()
              .start();
      WarmResult result = handle.await();

      assertEquals(WarmStatus.COMPLETED, result.status());
      assertEquals(8, result.progress().timedOut());
      assertEquals(20, result.progress().failed());
      assertEquals(72, result.progress().warmed());
      assertEquals(1, handle.progress().concurrencyDecreases());
      assertEquals(4, handle.progress().lowestConcurrencyLimit());
      assertEquals("item 0", jedis.get("item:0"));
      assertNull(jedis.get("item:20"), "a timed-out key is not written");
    } finally {
      backend.stop(0);
      threads.shutdownNow();
    }
  }

  /**
   * Items 20..28 without 24 (an error): eight consecutive slow requests, one concurrency's worth.
   */
  private static boolean slowItem(int id) {
    return id >= 20 && id <= 28 && id % 5 != 4;
  }

  @Test
  void storeNoneLetsTheEndpointFillTheCache() {
    int hour = HourBucket.of(NOW).hourOfDay();
    jedis.zadd(schema.planHour("g1", hour), Map.of("user:1", 2.0, "user:2", 1.0));
    jedis.set(schema.currentPlan(), "g1");

    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("httpapp")
            .redis(redis.uri())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .serviceLoaders(false)
            .jmx(false)
            .loader(
                "user:*",
                new HttpTemplateLoader(
                    base() + "/fill/{2}",
                    ":",
                    HttpTemplateLoader.Store.NONE,
                    Duration.ofSeconds(2)))
            .build()
            .run();

    assertEquals(2, result.progress().warmed());
    assertEquals("filled-by-app", jedis.get("user:1"));
    assertEquals("filled-by-app", jedis.get("user:2"));
    assertTrue(paths.containsAll(List.of("/fill/1", "/fill/2")), paths.toString());
  }

  @Test
  void aFieldTemplateNamesTheHashsSegmentsAndTheFieldAndLoadsOnlyFields() {
    HttpTemplateLoader loader =
        new HttpTemplateLoader(
            base() + "/users/{2}/{field}?k={key}",
            ":",
            HttpTemplateLoader.Store.BODY,
            Duration.ofSeconds(1));
    assertTrue(loader.forFields());
    assertEquals(
        base() + "/users/42/pro%20file?k=user%3A42", loader.url("user:42", "pro file").toString());
    assertThrows(IllegalArgumentException.class, () -> loader.url("user:42"));
    assertFalse(
        new HttpTemplateLoader(
                base() + "/products/{2}", ":", HttpTemplateLoader.Store.BODY, Duration.ofSeconds(1))
            .forFields());

    jedis.zadd(
        utf8(schema.planHour("g1", HourBucket.of(NOW).hourOfDay())),
        Map.of(
            FieldMember.encode(utf8("user:42"), utf8("name")),
            3.0,
            FieldMember.encode(utf8("user:7"), utf8("404")),
            2.0));
    jedis.set(schema.currentPlan(), "g1");
    jedis.hset("user:42", "app", "x"); // the application's hash, with its TTL: takes a field on
    jedis.pexpire("user:42", 600_000); // every version (before 7.4 none is created)

    WarmResult result =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("httpapp")
            .redis(redis.uri())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .serviceLoaders(false)
            .jmx(false)
            .fieldLoader("user:*", loader)
            .build()
            .run();

    assertEquals(1, result.progress().warmed(), result.summary());
    assertEquals(1, result.progress().missing());
    assertEquals("field 42/name", jedis.hget("user:42", "name"));
    assertFalse(jedis.exists("user:7"));
    assertEquals(java.util.Set.of("/users/42/name", "/users/7/404"), java.util.Set.copyOf(paths));
    assertEquals(2, paths.size());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
