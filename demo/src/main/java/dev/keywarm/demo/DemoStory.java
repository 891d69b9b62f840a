package dev.keywarm.demo;

import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.testsupport.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.Jedis;

/**
 * The demo's story: the shop runs with the agent until the analyzer has a plan, then its cache
 * Redis restarts empty three times — keywarm restoring its hot-set snapshot with no loader code at
 * all, keywarm warming through the shop's own loader, and no warming — and the three are compared.
 * Stats, plans and the snapshot live in a second Redis of their own, so they survive the cache's
 * restart. Every run has {@code snapshot=on}: each shop publishes its writes as invalidations and
 * keeps the snapshot while it runs, as a real service does for hours before a restart (the training
 * run stands for those hours), and all three restarts pay the same agent cost.
 *
 * <p>Order: train, analyze, then zero-code, loaders, cold. The zero-code run comes first so that
 * the snapshot it restores is the one the long training run kept (plus its own steady seconds), not
 * one a previous restart's run rebuilt in its 40 s; the loaders run passes {@code --no-snapshot},
 * and the cold run has {@code warm=off}, so neither is helped by the snapshot the runs before them
 * kept. Each run starts on the cache the previous one left full, and the same seed (the shop's
 * per-thread {@code Random(t)}) and phases.
 */
final class DemoStory {

  static final String APP = "demo";

  /**
   * The training run stands for the hours a service runs before its cache restarts. At the default
   * snapshot rate (5 % of the application's commands: about 190 keys/s at the shop's 4 000
   * requests/s) the snapshot needs about two minutes to hold the 20 000-key hot set; the training
   * run reads faster so that 45 s stand for those hours. Every measured run, and the upkeep the
   * table reports, uses the default rate.
   */
  static final int TRAINING_SNAPSHOT_RATE = 2_000;

  /** How long each phase lasts; the shop's "hour" lasts {@code hourMillis}. */
  record Options(
      int trainSeconds,
      int steadySeconds,
      int measureSeconds,
      int startSeconds,
      double rate,
      long hourMillis,
      int planKeys,
      String warmArgs,
      String client,
      Path outDir) {

    static Options full(Path outDir) {
      return new Options(
          45, 10, 30, 20, 4_000, 1_500, 20_000, "--rate 10000 --concurrency 4", "jedis", outDir);
    }

    /** About a minute: shorter phases, and the second scenario left out. */
    static Options quick(Path outDir) {
      return new Options(
          10, 7, 7, 0, 4_000, 800, 20_000, "--rate 10000 --concurrency 4", "jedis", outDir);
    }

    Options withRate(double requestsPerSecond) {
      return new Options(
          trainSeconds,
          steadySeconds,
          measureSeconds,
          startSeconds,
          requestsPerSecond,
          hourMillis,
          planKeys,
          warmArgs,
          client,
          outDir);
    }

    Options withClient(String name) {
      return new Options(
          trainSeconds,
          steadySeconds,
          measureSeconds,
          startSeconds,
          rate,
          hourMillis,
          planKeys,
          warmArgs,
          name,
          outDir);
    }
  }

  /** Everything a caller (the demo, its test) may want to look at afterwards. */
  record Result(
      List<RestartMeasurement> restarts,
      List<RestartMeasurement> starts,
      Path report,
      String generation,
      List<String> hotKeys,
      int hotKeysCachedAfterWarm) {

    RestartMeasurement of(RunKind run) {
      return java.util.stream.Stream.concat(restarts.stream(), starts.stream())
          .filter(m -> m.run() == run)
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + run.label() + " run"));
    }
  }

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
      System.out.printf(
          Locale.ROOT,
          "  shop: %s, %,.0f requests/s arriving open-loop (Poisson), %d request threads, timeout"
              + " %d ms; Zipf(1.0) over %,d products (detail + price read together), hot set"
              + " drifting each 'hour' of %d ms%n",
          options.client(),
          options.rate(),
          ShopApp.WORKERS,
          ShopApp.TIMEOUT_MILLIS,
          ShopWorkload.PRODUCTS,
          options.hourMillis());
      System.out.printf(
          Locale.ROOT,
          "  database: %d connections, %.1f ms per query + %d µs per row, each query %.0f %%"
              + " slower per other query running; at most %,d single-row queries/s%n",
          SimulatedDatabase.CONNECTIONS,
          SimulatedDatabase.BASE_MICROS / 1000.0,
          SimulatedDatabase.ROW_MICROS,
          100 * SimulatedDatabase.CONTENTION,
          SimulatedDatabase.CAPACITY_PER_SECOND);
      if (!cache.canRestart()) {
        System.out.println(
            "  REDIS_URL is not ours to restart: the three cold restarts are FLUSHALLs of "
                + RedisEndpoint.redact(cache.uri()));
      }
      deleteProducts(cache);
      ShopRun shop =
          new ShopRun(
              agentJar,
              cache.host(),
              cache.port(),
              options.rate(),
              options.hourMillis(),
              options.client());
      String recording = "app=" + APP + ",redis=" + stats.uri() + ",flush=1s,snapshot=on";
      String onRestart = recording + ",warm=on-restart,restartcheck=300ms";

      System.out.println();
      System.out.println(
          "1/"
              + steps()
              + "  the shop runs "
              + options.trainSeconds()
              + " s with the agent recording and keeping the hot-set snapshot (standing for the"
              + " hours a service runs before a restart: snapshotrate="
              + TRAINING_SNAPSHOT_RATE
              + " keys/s here, the default rate in every measured run)");
      shop.run(
          "train",
          recording + ",warm=off,snapshotrate=" + TRAINING_SNAPSHOT_RATE,
          List.of(),
          options.trainSeconds(),
          s -> {});
      System.out.printf(
          "  the snapshot in the stats Redis holds %,d values%n", snapshotValues(stats));

      System.out.println();
      System.out.println("2/" + steps() + "  analyzing what the agent recorded");
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

      List<RestartMeasurement> restarts = new ArrayList<>();
      int cachedAfterWarm = -1;
      String html = "";
      if (options.measureSeconds() > 0) {
        System.out.println();
        System.out.println(
            "3/"
                + steps()
                + "  keywarm with no loader code: the shop runs "
                + options.steadySeconds()
                + " s with its loader off (-D"
                + ShopLoaders.SWITCH
                + "=off), then its cache restarts empty and the agent restores the snapshot"
                + " (warm=on-restart)");
        restarts.add(
            restartRun(
                shop,
                cache,
                stats,
                RunKind.ZERO_CODE,
                onRestart,
                List.of("-D" + ShopLoaders.SWITCH + "=off")));

        System.out.println();
        System.out.println(
            "4/"
                + steps()
                + "  keywarm with the shop's loader: the same, the snapshot not restored"
                + " (warmargs: "
                + options.warmArgs()
                + " --no-snapshot)");
        restarts.add(
            restartRun(
                shop,
                cache,
                stats,
                RunKind.LOADERS,
                onRestart,
                List.of("-Dkeywarm.warmargs=" + options.warmArgs() + " --no-snapshot")));
        cachedAfterWarm = countCached(cache, hotKeys);

        System.out.println();
        System.out.println("5/" + steps() + "  without keywarm's warm: the same, warm=off");
        restarts.add(
            restartRun(shop, cache, stats, RunKind.COLD, recording + ",warm=off", List.of()));

        ComparisonReport comparison = new ComparisonReport(restarts);
        System.out.println();
        System.out.println(
            "After the cache restarted empty (each second's own hit rate, p99 request latency,"
                + " timeouts and database queries):");
        System.out.print(comparison.table());
        html +=
            comparison.htmlSection(
                "restart", "Cold restart of the cache: keywarm's snapshot, keywarm's loader, none");
        writeCharts(comparison, "after-restart");
      }

      List<RestartMeasurement> starts = List.of();
      if (options.startSeconds() > 0) {
        starts =
            new NewEnvironment(shop, cache, options, recording)
                .run(options.measureSeconds() > 0 ? 6 : 3, steps());
        ComparisonReport startReport = new ComparisonReport("after traffic was admitted", starts);
        System.out.println();
        System.out.println(
            "A new application JVM against a brand-new empty cache (warm=on-start), from the"
                + " first second with traffic:");
        System.out.print(startReport.table());
        html +=
            startReport.htmlSection(
                "new-environment",
                "New environment: a new JVM and an empty cache, traffic gated on readiness or"
                    + " not");
        writeCharts(startReport, "new-environment");
      } else {
        System.out.println();
        System.out.println(
            "(the second scenario, a new JVM against an empty cache, is left out: it runs without"
                + " --quick)");
      }
      Files.writeString(
          report, analysis.html().replace("</body>", html + "</body>"), StandardCharsets.UTF_8);
      System.out.println();
      System.out.println("Report with the charts: " + report);
      return new Result(restarts, starts, report, analysis.generation(), hotKeys, cachedAfterWarm);
    }
  }

  private int steps() {
    return 2 + (options.measureSeconds() > 0 ? 3 : 0) + (options.startSeconds() > 0 ? 2 : 0);
  }

  /** The charts as files of their own, for the README ({@code docs/} holds copies). */
  private void writeCharts(ComparisonReport comparison, String name) throws IOException {
    Path hitRate = options.outDir().resolve("hit-rate-" + name + ".svg");
    Path latency = options.outDir().resolve("p99-" + name + ".svg");
    Files.writeString(hitRate, comparison.hitRateSvg(), StandardCharsets.UTF_8);
    Files.writeString(latency, comparison.latencySvg(), StandardCharsets.UTF_8);
    System.out.println("  charts: " + hitRate + ", " + latency);
  }

  /**
   * One measured run: {@code steadySeconds} of the shop, then the cold restart, then {@code
   * measureSeconds}. The cache Redis's command counts are read at second 1 and right before the
   * restart, for the snapshot's upkeep.
   */
  private RestartMeasurement restartRun(
      ShopRun shop,
      RedisServer cache,
      RedisServer stats,
      RunKind run,
      String agentArgs,
      List<String> jvmOptions)
      throws IOException, InterruptedException {
    int steady = options.steadySeconds();
    SnapshotUpkeep.Reading[] readings = new SnapshotUpkeep.Reading[2];
    ShopRun.Output output =
        shop.run(
            run.label(),
            agentArgs,
            jvmOptions,
            steady + options.measureSeconds(),
            second -> {
              if (readings[0] == null && second < steady) { // the first tick, even if late
                readings[0] = SnapshotUpkeep.Reading.of(cache.uri());
              }
              if (second == steady) {
                if (readings[0] != null) {
                  readings[1] = SnapshotUpkeep.Reading.of(cache.uri());
                }
                System.out.printf(
                    "  the snapshot in the stats Redis holds %,d values%n", snapshotValues(stats));
                restartCold(cache);
              }
            });
    SnapshotUpkeep upkeep =
        readings[1] == null
            ? null
            : SnapshotUpkeep.between(readings[0], readings[1])
                .withBytesPerKey(output.snapshotBytesPerKey());
    return RestartMeasurement.afterRestart(
        run, output.ticks(), steady, output.restoredFromSnapshot(), upkeep);
  }

  /**
   * An external REDIS_URL server cannot be restarted by us: FLUSHALL is the nearest thing, and the
   * agent's restart detector sees it as a flush. Said at start (see run); not through {@code
   * RedisServer.flushAll}, which guards tests against exactly this.
   */
  static void restartCold(RedisServer cache) {
    if (cache.canRestart()) {
      cache.restart();
    } else {
      try (Jedis jedis = new Jedis(URI.create(cache.uri()))) {
        jedis.flushAll();
      }
    }
    System.out.println("  ---- cache Redis restarted empty ----");
  }

  /** Values in the hot-set snapshot (the agent's {@code snap:*} hash in the stats Redis). */
  private static long snapshotValues(RedisServer stats) {
    try (Jedis jedis = new Jedis(URI.create(stats.uri()))) {
      return jedis.hlen(KeySchema.forApp(APP).snapshotValues());
    }
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
