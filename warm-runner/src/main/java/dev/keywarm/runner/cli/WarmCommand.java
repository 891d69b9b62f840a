package dev.keywarm.runner.cli;

import dev.keywarm.redis.Durations;
import dev.keywarm.runner.WarmDefaults;
import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.WarmResult;
import dev.keywarm.runner.WarmRunner;
import dev.keywarm.runner.loading.HttpTemplateLoader;
import dev.keywarm.runner.loading.RedisCopyLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keywarm warm}: a one-shot warm for deploy pipelines. Exit 0 when the run finished and the
 * expected coverage reached {@code --target-coverage}; 1 otherwise (failed, aborted, lease held by
 * another instance, coverage short); 2 for bad arguments. A progress bar on a terminal, plain
 * {@code [keywarm]} lines otherwise.
 */
@Command(
    name = "keywarm warm",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Warm a Redis cache from keywarm's plan: hottest keys first, never overwriting.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:target coverage reached",
      "1:warm failed, aborted, lease held elsewhere, or coverage short",
      "2:bad arguments"
    })
public final class WarmCommand implements Callable<Integer> {

  /** How often progress lines are printed when no bar is drawn (the agent prints lines too). */
  public static final Duration LINES_INTERVAL = Duration.ofSeconds(2);

  @Option(
      names = "--redis",
      required = true,
      paramLabel = "URL",
      description = "cache Redis to warm (cluster detected)")
  String redis;

  @Option(names = "--app", required = true, description = "application name, as given to the agent")
  String app;

  @Option(
      names = "--stats-redis",
      paramLabel = "URL",
      description = "where plans and stats live (default: --redis)")
  String statsRedis;

  @Option(
      names = "--http",
      paramLabel = "PATTERN=TEMPLATE",
      description =
          "HTTP loader, e.g. 'product:*=http://localhost:8080/products/{2}' (repeatable); a"
              + " template with {field} loads hash fields: 'user:*=http://host/users/{2}/{field}'")
  Map<String, String> httpLoaders = new LinkedHashMap<>();

  @Option(
      names = "--http-store",
      paramLabel = "body|none",
      defaultValue = "body",
      description =
          "body: store the response; none: the endpoint fills the cache itself (default: ${DEFAULT-VALUE})")
  String httpStore;

  @Option(
      names = "--separator",
      defaultValue = ":",
      description = "key segment separator for {n} (default: ${DEFAULT-VALUE})")
  String separator;

  @Option(
      names = "--copy-from",
      paramLabel = "URL",
      description =
          "copy planned keys from this Redis (DUMP/RESTORE, keeps TTL) and planned hash fields"
              + " of matching keys (HGET, then HSETNX)")
  String copyFrom;

  @Option(
      names = "--copy-pattern",
      defaultValue = "*",
      description = "keys to copy (default: ${DEFAULT-VALUE})")
  String copyPattern;

  @Option(
      names = "--no-snapshot",
      negatable = false,
      description = "do not restore the agent's hot-set snapshot before loading")
  boolean noSnapshot;

  @Option(
      names = "--target-coverage",
      defaultValue = "" + WarmDefaults.TARGET_COVERAGE,
      description = "exit 0 at or above this (default: ${DEFAULT-VALUE})")
  double targetCoverage;

  @Option(
      names = "--concurrency",
      defaultValue = "" + WarmDefaults.CONCURRENCY,
      description = "loader calls in flight (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--rate",
      defaultValue = "" + WarmDefaults.RATE_PER_SECOND,
      description = "loads per second, 0 = unlimited (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--max-keys",
      defaultValue = "" + WarmDefaults.MAX_KEYS,
      description = "key budget (default: ${DEFAULT-VALUE})")
  int maxKeys;

  @Option(
      names = "--max-bytes",
      defaultValue = "" + WarmDefaults.MAX_BYTES,
      description = "value byte budget, 0 = none")
  long maxBytes;

  @Option(
      names = "--max-time",
      converter = DurationConverter.class,
      description = "time budget, e.g. 5m")
  Duration maxTime;

  @Option(
      names = "--timeout",
      defaultValue = WarmDefaults.CALL_TIMEOUT,
      converter = DurationConverter.class,
      description = "per loader call (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--ttl",
      defaultValue = WarmDefaults.DEFAULT_TTL,
      converter = DurationConverter.class,
      description =
          "TTL when loader and pattern give none, 0 = no expiry (default: ${DEFAULT-VALUE})")
  Duration ttl;

  @Option(
      names = "--ttl-jitter",
      defaultValue = "" + WarmDefaults.TTL_JITTER,
      description =
          "each loaded TTL T becomes a random one in [(1-j)*T, T], so a warm never expires at once;"
              + " 0 = exact (default: ${DEFAULT-VALUE})")
  double ttlJitter;

  @Option(
      names = "--ttl-for",
      paramLabel = "PATTERN=DURATION",
      description = "TTL per key pattern (repeatable)")
  Map<String, String> ttlFor = new LinkedHashMap<>();

  @Option(
      names = "--days",
      defaultValue = "" + WarmDefaults.HISTORY_DAYS,
      description = "history read when no plan exists (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--next-hour", description = "also warm the next hour's plan")
  boolean nextHour;

  @Option(
      names = "--min-lift",
      defaultValue = "" + WarmDefaults.MIN_PAIR_LIFT,
      description = "correlated keys need this lift (default: ${DEFAULT-VALUE})")
  double minLift;

  @Option(
      names = "--max-error-rate",
      defaultValue = "" + WarmDefaults.MAX_ERROR_RATE,
      description = "abort above this share of failed keys (default: ${DEFAULT-VALUE})")
  double maxErrorRate;

  @Option(
      names = "--no-lease",
      negatable = false,
      description = "warm even if another instance holds the lease")
  boolean noLease;

  @Option(
      names = "--await-leader",
      description = "if another instance holds the lease, wait for it and exit by its result")
  boolean awaitLeader;

  @Option(names = "--instance", description = "name in the lease and the result record")
  String instance;

  @Option(
      names = "--plan-snapshot",
      paramLabel = "FILE|none",
      description =
          "last plan kept on local disk, used when the stats Redis has none (default: <tmpdir>/keywarm/<app>.plan)")
  String planSnapshot;

  @Option(names = "--readiness-file", description = "write warming/ready JSON here, atomically")
  Path readinessFile;

  @Option(
      names = "--readiness-port",
      defaultValue = "" + WarmDefaults.READINESS_PORT,
      description = "serve 503/200 readiness here")
  int readinessPort;

  @Option(
      names = "--redis-give-up",
      defaultValue = WarmDefaults.REDIS_GIVE_UP_AFTER,
      converter = DurationConverter.class,
      description = "retry an unreachable Redis this long (default: ${DEFAULT-VALUE})")
  Duration redisGiveUp;

  @Option(
      names = "--progress",
      paramLabel = "auto|bar|lines",
      defaultValue = "auto",
      description = "bar on a terminal, lines otherwise (default: ${DEFAULT-VALUE})")
  String progress;

  /**
   * A runner configured from these options, without progress output: the CLI adds a progress bar,
   * the agent ({@link dev.keywarm.runner.AgentEntry}) runs it in the background. Loaders that hold
   * connections are added to {@code closeables}.
   */
  public WarmRunner.Builder configure(List<AutoCloseable> closeables) {
    DurationConverter durations = new DurationConverter();
    WarmRunner.Builder builder =
        WarmRunner.builder()
            .redis(redis)
            .app(app)
            .statsRedis(statsRedis)
            .concurrency(concurrency)
            .ratePerSecond(rate)
            .maxKeys(maxKeys)
            .maxBytes(maxBytes)
            .maxTime(maxTime)
            .callTimeout(timeout)
            .defaultTtl(ttl)
            .ttlJitter(ttlJitter)
            .historyDays(days)
            .nextHour(nextHour)
            .minPairLift(minLift)
            .maxErrorRate(maxErrorRate)
            .targetCoverage(targetCoverage)
            .readinessFile(readinessFile)
            .readinessPort(readinessPort)
            .redisGiveUpAfter(redisGiveUp)
            .lease(!noLease, Durations.parse(WarmDefaults.LEASE_TTL))
            .awaitLeader(awaitLeader)
            .instanceId(instance)
            .snapshot(!noSnapshot);
    ttlFor.forEach((pattern, d) -> builder.ttlFor(pattern, durations.convert(d)));
    if (planSnapshot != null) {
      builder.planSnapshot(planSnapshot.equals("none") ? null : Path.of(planSnapshot));
    }
    HttpTemplateLoader.Store store =
        switch (httpStore) {
          case "body" -> HttpTemplateLoader.Store.BODY;
          case "none" -> HttpTemplateLoader.Store.NONE;
          default ->
              throw new CommandLine.ParameterException(
                  new CommandLine(this), "--http-store must be body or none, not " + httpStore);
        };
    httpLoaders.forEach(
        (pattern, template) -> {
          HttpTemplateLoader http = new HttpTemplateLoader(template, separator, store, timeout);
          if (http.forFields()) {
            builder.fieldLoader(pattern, http);
          } else {
            builder.loader(pattern, http);
          }
        });
    if (copyFrom != null) {
      RedisCopyLoader copy =
          RedisCopyLoader.connect(
              copyFrom, Durations.parse(WarmDefaults.REDIS_TIMEOUT), redisGiveUp);
      closeables.add(copy);
      builder.loader(copyPattern, copy);
      builder.fieldLoader(copyPattern, copy); // the hashes' fields of matching keys too
    }
    return builder;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new WarmCommand()).execute(args));
  }

  @Override
  public Integer call() {
    List<AutoCloseable> closeables = new ArrayList<>();
    WarmRunner.Builder builder;
    try {
      builder = configure(closeables);
    } catch (CommandLine.ParameterException e) {
      throw e; // a usage error: picocli prints it and exits 2
    } catch (RuntimeException e) {
      WarmLog.warn("warm failed: " + e.getMessage());
      return 1;
    }
    ProgressBar bar = null;
    boolean terminal =
        progress.equals("bar") || (progress.equals("auto") && System.console() != null);
    if (terminal) {
      ProgressBar b = new ProgressBar(System.err);
      bar = b;
      builder.progressListener(b::draw).progressInterval(Duration.ofMillis(200));
    } else {
      builder.progressInterval(LINES_INTERVAL);
    }
    try {
      WarmResult result = builder.build().run();
      if (bar != null) {
        bar.finish();
      }
      System.out.println(result.summary());
      if (!result.reached(targetCoverage)) {
        WarmLog.warn(
            String.format(Locale.ROOT, "target coverage %.1f%% not reached", targetCoverage * 100));
        return 1;
      }
      return 0;
    } catch (RuntimeException e) {
      if (bar != null) {
        bar.finish();
      }
      WarmLog.warn("warm failed: " + e.getMessage());
      return 1;
    } finally {
      for (AutoCloseable c : closeables) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing a source connection at exit cannot change the outcome
        }
      }
    }
  }
}
