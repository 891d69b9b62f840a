package dev.keywarm.demo;

import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.testsupport.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * The demo's story: the shop runs with the agent until the analyzer has a plan, then its cache
 * Redis restarts empty twice — once with the agent warming it, once without — and the two are
 * compared. Stats and plans live in a second Redis of their own, so they survive the cache's
 * restart.
 */
final class DemoStory {

  static final String APP = "demo";

  /** How long each phase lasts; the shop's "hour" lasts {@code hourMillis}. */
  record Options(
      int trainSeconds,
      int steadySeconds,
      int measureSeconds,
      int threads,
      long hourMillis,
      int planKeys,
      String warmArgs,
      String client,
      Path outDir) {

    static Options full(Path outDir) {
      return new Options(
          45, 10, 30, 16, 1_500, 20_000, "--rate 10000 --concurrency 4", "jedis", outDir);
    }

    static Options quick(Path outDir) {
      return new Options(
          20, 8, 15, 16, 800, 20_000, "--rate 10000 --concurrency 4", "jedis", outDir);
    }
  }

  /** Everything a caller (the demo, its test) may want to look at afterwards. */
  record Result(
      RestartMeasurement warmed,
      RestartMeasurement cold,
      Path report,
      String generation,
      List<String> hotKeys,
      int hotKeysCachedAfterWarm) {}

  private final Options options;
  private final Path agentJar;

  DemoStory(Options options, Path agentJar) {
    this.options = options;
    this.agentJar = agentJar;
  }

  Result run() throws IOException, InterruptedException {
    try (RedisServer cache = RedisServer.start();
        RedisServer stats =
            RedisServer.start("--save", "")) { // extra args: always a server of our own
      System.out.println("keywarm demo");
      System.out.println(
          "  cache Redis: "
              + RedisEndpoint.redact(cache.uri())
              + "   stats Redis: "
              + RedisEndpoint.redact(stats.uri()));
      System.out.println(
          "  shop: "
              + options.client()
              + ", "
              + options.threads()
              + " threads, Zipf(1.0) over "
              + ShopWorkload.PRODUCTS
              + " products (detail + price read together), hot set drifting each 'hour' of "
              + options.hourMillis()
              + " ms; database "
              + SimulatedDatabase.LOAD_MILLIS
              + " ms per query + "
              + SimulatedDatabase.ROW_MICROS
              + " µs per row, "
              + SimulatedDatabase.MAX_CONCURRENT
              + " queries at once (≤ "
              + SimulatedDatabase.CAPACITY_PER_SECOND
              + " single-row queries/s)");
      if (!cache.canRestart()) {
        System.out.println(
            "  REDIS_URL is not ours to restart: the two cold restarts are FLUSHALLs of "
                + RedisEndpoint.redact(cache.uri()));
      }
      deleteProducts(cache);
      ShopRun shop =
          new ShopRun(
              agentJar,
              cache.host(),
              cache.port(),
              options.threads(),
              options.hourMillis(),
              options.client());
      String recording = "app=" + APP + ",redis=" + stats.uri() + ",flush=1s";

      System.out.println();
      System.out.println(
          "1/4  the shop runs " + options.trainSeconds() + " s with the agent recording");
      shop.run("train", recording + ",warm=off", List.of(), options.trainSeconds(), 0, () -> {});

      System.out.println();
      System.out.println("2/4  analyzing what the agent recorded");
      AnalyzeStep.Outcome analysis = AnalyzeStep.run(stats.uri(), APP, options.planKeys());
      Files.createDirectories(options.outDir());
      Path report = options.outDir().resolve("keywarm-demo-report.html").toAbsolutePath();
      Files.writeString(report, analysis.html(), StandardCharsets.UTF_8);
      List<String> hotKeys = topKeys(analysis.analysis().plan(), 100);
      System.out.printf(
          "  %,d keys read; plan %s with %,d keys written to the stats Redis; hottest: %s%n",
          analysis.analysis().result().totals().distinctKeys(),
          analysis.generation(),
          analysis.analysis().plan().overall().size(),
          String.join(", ", hotKeys.subList(0, Math.min(3, hotKeys.size()))));
      System.out.println("  report: " + report);

      int total = options.steadySeconds() + options.measureSeconds();
      Runnable restart = () -> restartCold(cache);
      System.out.println();
      System.out.println(
          "3/4  with keywarm: the shop runs "
              + options.steadySeconds()
              + " s, then its cache restarts empty and the agent warms it (warm=on-restart)");
      List<ShopRun.Tick> warmedTicks =
          shop.run(
              "warmed",
              recording + ",warm=on-restart,restartcheck=300ms",
              List.of("-Dkeywarm.warmargs=" + options.warmArgs()),
              total,
              options.steadySeconds(),
              restart);
      int cachedAfterWarm = countCached(cache, hotKeys);

      System.out.println();
      System.out.println("4/4  without keywarm: the same, warm=off");
      List<ShopRun.Tick> coldTicks =
          shop.run(
              "cold", recording + ",warm=off", List.of(), total, options.steadySeconds(), restart);

      RestartMeasurement warmed =
          RestartMeasurement.of("warmed", warmedTicks, options.steadySeconds());
      RestartMeasurement cold = RestartMeasurement.of("cold", coldTicks, options.steadySeconds());
      ComparisonReport comparison = new ComparisonReport(warmed, cold);
      Files.writeString(
          report,
          analysis.html().replace("</body>", comparison.htmlSection() + "</body>"),
          StandardCharsets.UTF_8);
      System.out.println();
      System.out.println(
          "After the cache restarted empty (each second's own hit rate and database queries):");
      System.out.print(comparison.table());
      System.out.println();
      System.out.println("Report with the hit-rate chart (warmed vs cold): " + report);
      return new Result(warmed, cold, report, analysis.generation(), hotKeys, cachedAfterWarm);
    }
  }

  /**
   * An external REDIS_URL server cannot be restarted by us: FLUSHALL is the nearest thing, and the
   * agent's restart detector sees it as a flush. Said at start (see run); not through {@code
   * RedisServer.flushAll}, which guards tests against exactly this.
   */
  private static void restartCold(RedisServer cache) {
    if (cache.canRestart()) {
      cache.restart();
    } else {
      try (Jedis jedis = new Jedis(URI.create(cache.uri()))) {
        jedis.flushAll();
      }
    }
    System.out.println("  ---- cache Redis restarted empty ----");
  }

  private static List<String> topKeys(WarmPlan plan, int n) {
    List<String> keys = new ArrayList<>();
    for (WarmPlan.Entry entry : plan.overall().subList(0, Math.min(n, plan.overall().size()))) {
      keys.add(new String(entry.member(), StandardCharsets.UTF_8));
    }
    return keys;
  }

  private static int countCached(RedisServer cache, List<String> keys) {
    try (Jedis jedis = new Jedis(URI.create(cache.uri()))) {
      int found = 0;
      for (String key : keys) {
        found += jedis.exists(key) ? 1 : 0;
      }
      return found;
    }
  }

  private static void deleteProducts(RedisServer cache) {
    try (Jedis jedis = new Jedis(URI.create(cache.uri()))) {
      for (String key : jedis.keys("product:*")) {
        jedis.del(key);
      }
    }
  }
}
