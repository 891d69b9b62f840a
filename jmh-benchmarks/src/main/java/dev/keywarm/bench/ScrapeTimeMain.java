package dev.keywarm.bench;

import dev.keywarm.testsupport.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import redis.clients.jedis.JedisPooled;

/**
 * Claim: a scrape of the agent's built-in Prometheus endpoint with 100 key patterns takes at most
 * 10 ms.
 *
 * <p>Run in a JVM with the agent and its endpoint on the same port as {@code --port}:
 *
 * <pre>
 * java -javaagent:agent/target/keywarm.jar=app=bench,flush=1s,prometheus=127.0.0.1:9464 \
 *   -cp jmh-benchmarks/target/keywarm-benchmarks.jar dev.keywarm.bench.ScrapeTimeMain --port 9464
 * </pre>
 *
 * What it measures: a workload on a private redis-server that gives {@code --patterns} (100) key
 * patterns a miss, a SET and a hit each ({@code pN:item:{n}}); once a scrape shows all of them, the
 * time of {@code --scrapes} (1 000) scrapes one after another over loopback (connect, request, the
 * whole body read), after 200 unmeasured ones: p50, p99 and max, and the body's size. Steady state:
 * the first scrapes (class loading, JIT) are the unmeasured ones; the first of all is printed too.
 * What would make it wrong: an endpoint on another port (the scrape fails: the run stops), fewer
 * patterns exposed than asked (it waits for all of them, 30 s at most).
 */
public final class ScrapeTimeMain {

  private ScrapeTimeMain() {}

  public static void main(String[] args) throws Exception {
    int port = 9464;
    int patterns = 100;
    int scrapes = 1_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--patterns" -> patterns = Integer.parseInt(args[i + 1]);
        case "--scrapes" -> scrapes = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try (RedisServer redis = RedisServer.start();
        JedisPooled cache = new JedisPooled(redis.host(), redis.port())) {
      for (int p = 0; p < patterns; p++) {
        for (int i = 0; i < 10; i++) {
          String key = "p" + p + ":item:" + i;
          cache.get(key);
          cache.set(key, "v");
          cache.get(key);
        }
      }
      long first = System.nanoTime();
      String body = scrape(http, uri);
      long firstNanos = System.nanoTime() - first;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (hitSeries(body) < patterns) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + hitSeries(body) + " of " + patterns + " patterns exposed");
        }
        Thread.sleep(200);
        body = scrape(http, uri);
      }
      for (int i = 0; i < 200; i++) {
        scrape(http, uri);
      }
      long[] nanos = new long[scrapes];
      for (int i = 0; i < scrapes; i++) {
        long start = System.nanoTime();
        scrape(http, uri);
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      System.out.printf(
          Locale.ROOT,
          "%d patterns, %d series, %d bytes per scrape; %d scrapes (steady state): p50 %.2f ms,"
              + " p99 %.2f ms, max %.2f ms (target <= 10 ms); the very first scrape %.2f ms%n",
          patterns,
          body.lines().filter(l -> !l.startsWith("#")).count(),
          body.length(),
          scrapes,
          nanos[scrapes / 2] / 1e6,
          nanos[(int) (scrapes * 0.99)] / 1e6,
          nanos[scrapes - 1] / 1e6,
          firstNanos / 1e6);
    }
  }

  private static String scrape(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + response.statusCode());
    }
    return response.body();
  }

  private static long hitSeries(String body) {
    return body.lines()
        .filter(
            l ->
                l.startsWith("cache_gets_total{")
                    && l.contains("result=\"hit\"")
                    && l.contains(":item:"))
        .count();
  }
}
