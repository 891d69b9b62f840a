package dev.keywarm.demo;

import dev.keywarm.demo.RestartMeasurement.Second;
import dev.keywarm.demo.ShopRun.Tick;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import redis.clients.jedis.Jedis;

/**
 * The standing warm's next-hour technique on the demo shop ({@code java -jar
 * demo/target/keywarm-demo.jar --next-hour}), across a real UTC hour boundary — the agent's hours
 * are wall-clock UTC hours, so this story waits for the next one it can reach (it starts about
 * {@code lead + 2} minutes before it, so it may wait up to an hour).
 *
 * <p>The shop serves the hour's deals ({@link ShopWorkload}: 30 % of requests read {@code
 * deal:<HH>:<n>}, keys that are new when the hour turns). History: one training minute with the
 * agent, the shop's clock an hour ahead (so it reads the coming hour's deals), whose recorded hour
 * is then moved to the same hour of day yesterday — the agent's own recording, as yesterday's
 * {@code HH:00} would have left it; the analyzer's plan for that hour of day comes from it. Then
 * two shops run side by side through the boundary, on caches of their own, with the same seed and
 * rate: one without the standing warm, one with {@code standing=next-hour} (defaults: 5 min lead),
 * both from {@code lead + 60 s} before the hour, so both caches hold the ending hour's keys.
 * Measured: the first minute of the new hour, second by second.
 */
final class NextHourStory {

  static final String APP = "demo-nexthour";
  static final double DEAL_SHARE = 0.3;

  record Options(
      int trainSeconds,
      int warmupSeconds,
      int measureSeconds,
      double rate,
      Duration lead,
      String standingArgs,
      Path outDir) {

    static Options full(Path outDir, String standingArgs) {
      return new Options(120, 60, 60, 2_000, lead(standingArgs), standingArgs, outDir);
    }

    /** The {@code nexthourlead} in the standing args, or the agent's default (5 min). */
    static Duration lead(String standingArgs) {
      for (String option : standingArgs.split(",")) {
        if (option.startsWith("nexthourlead=")) {
          return dev.keywarm.redis.Durations.parse(option.substring("nexthourlead=".length()));
        }
      }
      return Duration.ofMinutes(5);
    }
  }

  /** One shop's first {@code seconds} of the new hour. */
  record Measured(
      String label,
      List<Second> seconds,
      long dealReads,
      long dealMisses,
      long warmRowsBeforeTheHour,
      long warmRowsInTheMinute) {

    double hitRate(int from, int to) {
      long reads = 0;
      long hits = 0;
      for (Second s : seconds.subList(from, Math.min(to, seconds.size()))) {
        reads += s.reads();
        hits += s.hits();
      }
      return reads == 0 ? 0 : (double) hits / reads;
    }

    long queries() {
      return seconds.stream().mapToLong(Second::queries).sum();
    }

    long timeouts() {
      return seconds.stream().mapToLong(Second::timeouts).sum();
    }

    double worstP99Millis() {
      return seconds.stream().mapToDouble(Second::p99Millis).max().orElse(0);
    }

    /**
     * From cumulative {@code ticks} and the wall-clock time each arrived: the {@code count} whole
     * seconds that began at or after {@code hourStart} (a tick ends its second; the first counted
     * is the first whose previous tick came at or after the hour).
     */
    static Measured of(
        String label, List<Tick> ticks, List<Long> tickMillis, long hourStart, int count) {
      int first = -1;
      for (int i = 1; i < ticks.size(); i++) {
        if (tickMillis.get(i - 1) >= hourStart) {
          first = i;
          break;
        }
      }
      if (first < 0 || first + count > ticks.size()) {
        throw new IllegalStateException(
            label + ": the run did not cover " + count + " s after the hour");
      }
      List<Second> seconds = new ArrayList<>();
      for (int i = first; i < first + count; i++) {
        seconds.add(Second.between(ticks.get(i - 1), ticks.get(i)));
      }
      Tick before = ticks.get(first - 1);
      Tick end = ticks.get(first + count - 1);
      return new Measured(
          label,
          seconds,
          end.dealReads() - before.dealReads(),
          end.dealMisses() - before.dealMisses(),
          before.warmRows(),
          end.warmRows() - before.warmRows());
    }
  }

  private final Options options;
  private final Path agentJar;

  NextHourStory(Options options, Path agentJar) {
    this.options = options;
    this.agentJar = agentJar;
  }

  List<Measured> run() throws IOException, InterruptedException {
    long runSeconds = options.lead().toSeconds() + options.warmupSeconds();
    // training, analysis and two JVM starts before the shops must be running
    long setUpMillis = (options.trainSeconds() + 45) * 1000L;
    if (runSeconds * 1000 + setUpMillis > Duration.ofMinutes(50).toMillis()) {
      // the training must record in the hour before the measured one
      throw new IllegalArgumentException(
          "--next-hour: nexthourlead " + options.lead() + " is too long for this story (≤ 45m)");
    }
    Instant now = Instant.now();
    HourBucket hour = HourBucket.of(now).plusHours(1);
    if (hour.startMillis() - runSeconds * 1000 - setUpMillis < now.toEpochMilli()) {
      hour = hour.plusHours(1);
    }
    long startAt = hour.startMillis() - runSeconds * 1000 - setUpMillis;
    System.out.printf(
        Locale.ROOT,
        "keywarm demo: the standing warm's next-hour technique across the %02d:00 UTC hour%n"
            + "  (real UTC hours: waiting %d min, until %s, to start)%n",
        hour.hourOfDay(),
        Math.max(0, (startAt - now.toEpochMilli()) / 60_000),
        Instant.ofEpochMilli(startAt));
    sleepUntil(startAt);
    try (RedisServer without = RedisServer.start("--save", "");
        RedisServer with = RedisServer.start("--save", "");
        RedisServer stats = RedisServer.start("--save", "")) {
      System.out.printf(
          Locale.ROOT,
          "  caches %s (without) and %s (with next-hour), stats %s; %,.0f requests/s each, %.0f %%"
              + " of them for the hour's deals%n",
          RedisEndpoint.redact(without.uri()),
          RedisEndpoint.redact(with.uri()),
          RedisEndpoint.redact(stats.uri()),
          options.rate(),
          100 * DEAL_SHARE);
      String recording = "redis=" + stats.uri() + ",flush=1s,warm=off";
      String deals = "-Ddemo.deals=" + DEAL_SHARE;
      HourBucket trainedIn = HourBucket.of(Instant.now());
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "1/4  yesterday's %02d:00: %d s of the shop with the agent, its clock an hour ahead%n",
          hour.hourOfDay(),
          options.trainSeconds());
      new ShopRun(agentJar, with.host(), with.port(), options.rate(), 3_600_000, "jedis")
          .run(
              "train",
              "app=" + APP + "," + recording,
              List.of(deals, "-Ddemo.hourOffset=" + (hour.epochHour() - trainedIn.epochHour())),
              options.trainSeconds(),
              s -> {});
      HourBucket yesterday = hour.plusHours(-24);
      int moved = moveHour(stats, trainedIn, yesterday);
      System.out.printf("  moved the %d hourly sets of %s to %s%n", moved, trainedIn, yesterday);
      DemoStory.restartCold(with);
      System.out.println();
      System.out.println("2/4  analyzing");
      AnalyzeStep.Outcome analysis = AnalyzeStep.run(stats.uri(), APP, 20_000);
      System.out.printf(
          Locale.ROOT,
          "  plan %s: %,d keys for %02d:00 UTC%n",
          analysis.generation(),
          analysis.analysis().plan().hour(hour.hourOfDay()).size(),
          hour.hourOfDay());
      String standing =
          "standing=next-hour"
              + (options.standingArgs().isEmpty() ? "" : "," + options.standingArgs());
      long shopStart = hour.startMillis() - runSeconds * 1000;
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "3/4  two shops from %s to %d s after the hour: without the standing warm, and with %s%n",
          Instant.ofEpochMilli(shopStart),
          options.measureSeconds() + 5,
          standing);
      sleepUntil(shopStart);
      int seconds = (int) runSeconds + options.measureSeconds() + 5;
      List<Long> withoutTimes = new ArrayList<>();
      List<Long> withTimes = new ArrayList<>();
      CompletableFuture<ShopRun.Output> withoutRun =
          shop(
              without, "without", "app=" + APP + "-off," + recording, deals, seconds, withoutTimes);
      CompletableFuture<ShopRun.Output> withRun =
          shop(
              with,
              "next-hour",
              "app=" + APP + "," + recording + "," + standing,
              deals,
              seconds,
              withTimes);
      List<Measured> runs =
          List.of(
              Measured.of(
                  "without",
                  join(withoutRun).ticks(),
                  withoutTimes,
                  hour.startMillis(),
                  options.measureSeconds()),
              Measured.of(
                  "next-hour",
                  join(withRun).ticks(),
                  withTimes,
                  hour.startMillis(),
                  options.measureSeconds()));
      System.out.println();
      System.out.println(
          "4/4  the first minute of " + String.format("%02d:00 UTC", hour.hourOfDay()));
      System.out.print(table(runs, hour.hourOfDay()));
      return runs;
    }
  }

  private CompletableFuture<ShopRun.Output> shop(
      RedisServer cache,
      String label,
      String agentArgs,
      String deals,
      int seconds,
      List<Long> tickMillis) {
    ShopRun run =
        new ShopRun(agentJar, cache.host(), cache.port(), options.rate(), 3_600_000, "jedis");
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return run.run(
                label,
                agentArgs,
                List.of(deals),
                seconds,
                s -> tickMillis.add(System.currentTimeMillis()));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  private static ShopRun.Output join(CompletableFuture<ShopRun.Output> run)
      throws InterruptedException {
    try {
      return run.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Renames every hourly key of {@code from} to {@code to}, in every shard the hour's meta names;
   * returns how many there were.
   */
  static int moveHour(RedisServer stats, HourBucket from, HourBucket to) {
    KeySchema schema = KeySchema.forApp(APP);
    List<String> names = new ArrayList<>(List.of(schema.meta(from), schema.ttlPatterns(from)));
    List<String> targets = new ArrayList<>(List.of(schema.meta(to), schema.ttlPatterns(to)));
    int moved = 0;
    try (Jedis jedis = new Jedis(URI.create(stats.uri()))) {
      java.util.Set<String> fields = jedis.hkeys(schema.meta(from));
      for (KeySchema.Shard shard : schema.readShards(from, KeySchema.shardCounts(fields))) {
        names.addAll(schema.hourlySets(from, shard));
        names.addAll(List.of(schema.pairs(from, shard), schema.ttls(from, shard)));
        targets.addAll(schema.hourlySets(to, shard));
        targets.addAll(List.of(schema.pairs(to, shard), schema.ttls(to, shard)));
        if (!schema.meta(from, shard).equals(schema.meta(from))) {
          names.add(schema.meta(from, shard));
          targets.add(schema.meta(to, shard));
        }
      }
      for (int i = 0; i < names.size(); i++) {
        if (jedis.exists(names.get(i))) {
          jedis.rename(names.get(i), targets.get(i));
          moved++;
        }
      }
    }
    return moved;
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    long left = epochMillis - System.currentTimeMillis();
    if (left > 0) {
      Thread.sleep(left);
    }
  }

  static String table(List<Measured> runs, int hourOfDay) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-52s %14s %14s%n",
            String.format("after %02d:00 UTC", hourOfDay),
            runs.get(0).label(),
            runs.get(1).label()));
    row(out, "hit rate, second 1", runs, m -> percent(m.hitRate(0, 1)));
    row(out, "hit rate, seconds 1-10", runs, m -> percent(m.hitRate(0, 10)));
    row(out, "hit rate, the first minute", runs, m -> percent(m.hitRate(0, 60)));
    row(out, "deals of the hour read", runs, m -> String.format("%,d", m.dealReads()));
    row(out, "  of them misses", runs, m -> String.format("%,d", m.dealMisses()));
    row(out, "database queries in the minute", runs, m -> String.format("%,d", m.queries()));
    row(out, "timeouts in the minute", runs, m -> String.format("%,d", m.timeouts()));
    row(
        out,
        "worst second's p99",
        runs,
        m -> String.format(Locale.ROOT, "%.1f ms", m.worstP99Millis()));
    row(
        out,
        "rows the warm loaded before the hour",
        runs,
        m -> String.format("%,d", m.warmRowsBeforeTheHour()));
    return out.toString();
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }

  private static void row(
      StringBuilder out,
      String label,
      List<Measured> runs,
      java.util.function.Function<Measured, String> cell) {
    out.append(
        String.format(
            Locale.ROOT,
            "%-52s %14s %14s%n",
            label,
            cell.apply(runs.get(0)),
            cell.apply(runs.get(1))));
  }
}
