package dev.keywarm.demo;

import dev.keywarm.demo.ShopRun.Tick;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.testsupport.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The standing warm's refresh-ahead on the demo shop ({@code java -jar demo/target/keywarm-demo.jar
 * --standing}): the shop's keys get a short TTL (30 s), so even a hot key expires every 30 s and
 * its next read misses — a small herd at each TTL. The shop trains with the agent (which records
 * the TTLs it writes), the analyzer writes a plan, then the shop runs twice on an empty cache with
 * the same seed: without the standing warm, and with {@code standing=refresh-ahead} (its options at
 * their defaults unless {@code --standing-args} says otherwise). Measured after the first TTL has
 * passed (from second {@code ttl + 5}): the misses of the all-day hot products' keys (the top of
 * every hour's plan), all misses, database queries, and the rows the standing warm loaded per
 * second against its rate.
 */
final class StandingStory {

  static final String APP = "demo-standing";

  record Options(
      int trainSeconds,
      int runSeconds,
      double rate,
      long hourMillis,
      int ttlSeconds,
      String standingArgs,
      Path outDir) {

    static Options full(Path outDir, String standingArgs) {
      return new Options(40, 95, 4_000, 1_500, 30, standingArgs, outDir);
    }
  }

  /** One run's figures from second {@code from} to its end. */
  record Measured(
      String label,
      int seconds,
      long hotReads,
      long hotMisses,
      long reads,
      long misses,
      long queries,
      long standingRows,
      long peakStandingRowsPerSecond) {

    double hotMissRate() {
      return hotReads == 0 ? 0 : (double) hotMisses / hotReads;
    }

    double missRate() {
      return reads == 0 ? 0 : (double) misses / reads;
    }

    static Measured of(String label, List<Tick> ticks, int from) {
      Tick start = Tick.zero();
      Tick previous = null;
      long peak = 0;
      for (Tick tick : ticks) {
        if (tick.second() <= from) {
          start = tick;
        } else if (previous != null) {
          peak = Math.max(peak, tick.warmRows() - previous.warmRows());
        }
        previous = tick;
      }
      Tick end = ticks.get(ticks.size() - 1);
      return new Measured(
          label,
          end.second() - start.second(),
          end.hotReads() - start.hotReads(),
          end.hotMisses() - start.hotMisses(),
          end.reads() - start.reads(),
          (end.reads() - start.reads()) - (end.hits() - start.hits()),
          end.queries() - start.queries(),
          end.warmRows() - start.warmRows(),
          peak);
    }
  }

  private final Options options;
  private final Path agentJar;

  StandingStory(Options options, Path agentJar) {
    this.options = options;
    this.agentJar = agentJar;
  }

  List<Measured> run() throws IOException, InterruptedException {
    try (RedisServer cache = RedisServer.start("--save", "");
        RedisServer stats = RedisServer.start("--save", "")) {
      System.out.printf(
          Locale.ROOT,
          "keywarm demo: the standing warm's refresh-ahead (cache %s, stats %s)%n  the shop: %,.0f"
              + " requests/s, every product key cached with a %d s TTL%n",
          RedisEndpoint.redact(cache.uri()),
          RedisEndpoint.redact(stats.uri()),
          options.rate(),
          options.ttlSeconds());
      ShopRun shop =
          new ShopRun(
              agentJar, cache.host(), cache.port(), options.rate(), options.hourMillis(), "jedis");
      String recording = "app=" + APP + ",redis=" + stats.uri() + ",flush=1s,warm=off";
      List<String> jvm = List.of("-Ddemo.ttl=" + options.ttlSeconds());
      System.out.println();
      System.out.println(
          "1/4  training: " + options.trainSeconds() + " s with the agent recording");
      shop.run("train", recording, jvm, options.trainSeconds(), s -> {});
      System.out.println();
      System.out.println("2/4  analyzing");
      AnalyzeStep.Outcome analysis = AnalyzeStep.run(stats.uri(), APP, 20_000);
      System.out.printf(
          "  plan %s: %,d keys%n",
          analysis.generation(), analysis.analysis().plan().overall().size());
      int from = options.ttlSeconds() + 5;
      System.out.println();
      System.out.println(
          "3/4  the shop on an empty cache for "
              + options.runSeconds()
              + " s without the standing warm (measured from second "
              + from
              + ")");
      DemoStory.restartCold(cache);
      Measured without =
          Measured.of(
              "without",
              shop.run("without", recording, jvm, options.runSeconds(), s -> {}).ticks(),
              from);
      String standing =
          "standing=refresh-ahead"
              + (options.standingArgs().isEmpty() ? "" : "," + options.standingArgs());
      System.out.println();
      System.out.println("4/4  the same with " + standing);
      DemoStory.restartCold(cache);
      Measured with =
          Measured.of(
              "refresh-ahead",
              shop.run("refresh", recording + "," + standing, jvm, options.runSeconds(), s -> {})
                  .ticks(),
              from);
      System.out.println();
      System.out.print(table(List.of(without, with), standing));
      return List.of(without, with);
    }
  }

  static String table(List<Measured> runs, String standing) {
    Measured without = runs.get(0);
    Measured with = runs.get(1);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT, "%-58s %14s %14s%n", "after the first TTL", "without", "refresh-ahead"));
    row(out, "seconds measured", runs, m -> Integer.toString(m.seconds()));
    row(
        out,
        "misses of the all-day hot products' keys",
        runs,
        m -> String.format("%,d", m.hotMisses()));
    row(
        out,
        "  of their reads",
        runs,
        m -> String.format(Locale.ROOT, "%.3f %%", 100 * m.hotMissRate()));
    row(out, "all misses", runs, m -> String.format("%,d", m.misses()));
    row(
        out,
        "  of all reads",
        runs,
        m -> String.format(Locale.ROOT, "%.2f %%", 100 * m.missRate()));
    row(out, "database queries", runs, m -> String.format("%,d", m.queries()));
    row(
        out,
        "rows the standing warm loaded per second (mean / peak)",
        runs,
        m ->
            String.format(
                Locale.ROOT,
                "%.1f / %d",
                m.seconds() == 0 ? 0.0 : (double) m.standingRows() / m.seconds(),
                m.peakStandingRowsPerSecond()));
    double fewer =
        without.hotMisses() == 0 ? 0 : 1 - (double) with.hotMisses() / without.hotMisses();
    out.append(
        String.format(
            Locale.ROOT,
            "%nhot keys' misses with %s: %.1f %% fewer (target ≥ 90 %%) — %s%n",
            standing,
            100 * fewer,
            fewer >= 0.9 ? "met" : "not met"));
    return out.toString();
  }

  private static void row(
      StringBuilder out,
      String what,
      List<Measured> runs,
      java.util.function.Function<Measured, String> value) {
    out.append(String.format(Locale.ROOT, "  %-56s", what));
    for (Measured m : runs) {
      out.append(String.format(Locale.ROOT, " %14s", value.apply(m)));
    }
    out.append(String.format("%n"));
  }
}
