package dev.keywarm.analyzer.cli;

import dev.keywarm.analyzer.analysis.Analysis;
import dev.keywarm.analyzer.analysis.AnalysisOptions;
import dev.keywarm.analyzer.analysis.AnalysisResult;
import dev.keywarm.analyzer.analysis.Analyzer;
import dev.keywarm.analyzer.analysis.NoDataException;
import dev.keywarm.analyzer.plan.PlanWriter;
import dev.keywarm.analyzer.read.HourlyStatsReader;
import dev.keywarm.analyzer.read.HourlyTtlReader;
import dev.keywarm.analyzer.read.KeyTtls;
import dev.keywarm.analyzer.read.MemoryUsageSampler;
import dev.keywarm.analyzer.read.RangeData;
import dev.keywarm.analyzer.read.StatsNodes;
import dev.keywarm.analyzer.report.HtmlReport;
import dev.keywarm.analyzer.report.JsonReport;
import dev.keywarm.analyzer.report.TextReport;
import dev.keywarm.redis.Durations;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.Jedis;

/**
 * {@code keywarm analyze}: reads one app's hourly sets, writes a report (text, JSON or HTML) and,
 * unless {@code --no-plan}, a new warm-plan generation for the warm-runner. Exit codes: 0 done; 1
 * I/O error; 2 bad arguments; 3 no data for the app in the range; 4 Redis unusable (URL, network,
 * auth).
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Analyse recorded cache reads and write a report and a warm plan.")
public final class AnalyzeCommand implements Callable<Integer> {

  static final int NO_DATA = 3;
  static final int REDIS_UNUSABLE = 4;

  @Spec CommandSpec spec;

  @Option(
      names = "--redis",
      required = true,
      paramLabel = "URL",
      description = "stats Redis: redis[s]://[user:password@]host[:port][/db]")
  String redis;

  @Option(names = "--app", required = true, description = "application name (the agent's app=)")
  String app;

  @Option(
      names = "--days",
      defaultValue = "7",
      description = "days of complete hours to analyse (default ${DEFAULT-VALUE})")
  int days;

  @Option(
      names = "--to",
      paramLabel = "yyyyMMddHH",
      description = "end of the range, exclusive, UTC (default: the start of the current hour)")
  String to;

  @Option(
      names = "--include-current-hour",
      description =
          "end the range after the current UTC hour, which agents are still writing: its "
              + "sets are scanned (ZSCAN, each member once), so each count is the key's count at some "
              + "moment during the read and keys first written after the scan passed them are missed; "
              + "not with --to")
  boolean includeCurrentHour;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text, json or html (default ${DEFAULT-VALUE})")
  Format format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "write the report here instead of stdout")
  Path out;

  @Option(
      names = {"--k", "--plan-keys"},
      defaultValue = "10000",
      description = "keys per plan, overall and per hour (default ${DEFAULT-VALUE})")
  int k;

  @Option(
      names = "--half-life",
      paramLabel = "DURATION",
      description = "rank by reads decayed with this half-life, e.g. 24h or 2d (default: no decay)")
  String halfLife;

  @Option(
      names = "--min-pair-support",
      defaultValue = "5",
      description = "least co-reads for a pair to be ranked (default ${DEFAULT-VALUE})")
  double minPairSupport;

  @Option(
      names = "--rows",
      defaultValue = "25",
      description = "rows per report table (default ${DEFAULT-VALUE})")
  int rows;

  @Option(
      names = "--plan-ttl",
      defaultValue = "8d",
      paramLabel = "DURATION",
      description = "expiry of the plan keys (default ${DEFAULT-VALUE})")
  String planTtl;

  @Option(names = "--no-plan", description = "only report; write no plan")
  boolean noPlan;

  @Option(
      names = "--sample-value-sizes",
      paramLabel = "CACHE_URL",
      description =
          "estimate the memory of the top-k keys with MEMORY USAGE on this cache Redis (read-only)")
  String cacheRedis;

  /** The clock that says which hour is current; fixed in tests. */
  Clock clock = Clock.systemUTC();

  enum Format {
    text,
    json,
    html
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command with its parser settings, for embedding (tools, tests). */
  public static CommandLine commandLine() {
    return commandLine(Clock.systemUTC());
  }

  static CommandLine commandLine(Clock clock) {
    AnalyzeCommand command = new AnalyzeCommand();
    command.clock = clock;
    return new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (!KeySchema.isValidAppName(app)) {
      err.println(
          "keywarm analyze: app name must be 1-64 characters of A-Z a-z 0-9 . _ - but was '"
              + app
              + "'");
      return 2;
    }
    Instant now = clock.instant();
    HourBucket current = HourBucket.of(now);
    double halfLifeHours;
    Duration ttl;
    HourRange range;
    try {
      halfLifeHours = halfLife == null ? 0 : hours(parseDuration("--half-life", halfLife));
      ttl = parseDuration("--plan-ttl", planTtl);
      if (includeCurrentHour && to != null) {
        throw new IllegalArgumentException(
            "--include-current-hour ends the range after the current "
                + "hour; it cannot be combined with --to");
      }
      if (days < 1 || k < 1 || rows < 1) {
        throw new IllegalArgumentException("--days, --k and --rows must be at least 1");
      }
      range =
          to != null
              ? HourRange.lastDays(days, HourBucket.parse(to))
              : HourRange.recent(days, current, includeCurrentHour);
    } catch (IllegalArgumentException e) {
      err.println("keywarm analyze: " + e.getMessage());
      return 2;
    }
    KeySchema schema = KeySchema.forApp(app);
    try (StatsNodes stats = RedisTarget.connectStats(redis)) {
      HourlyStatsReader reader = new HourlyStatsReader(stats, schema);
      RangeData data = reader.read(range, halfLifeHours, current);
      long keysNow = data.isEmpty() && range.to().equals(current) ? reader.keysReadIn(current) : 0;
      if (keysNow > 0) {
        err.println("keywarm analyze: " + onlyCurrentHour(range, current, keysNow));
        return NO_DATA;
      }
      AnalysisOptions options =
          AnalysisOptions.defaults().withPlanK(k).withMinPairSupport(minPairSupport).withRows(rows);
      // the planned keys' own TTLs are only worth their round trips when a plan is written
      KeyTtls keyTtls = noPlan ? null : new HourlyTtlReader(stats, schema);
      Analysis analysis;
      if (cacheRedis == null) {
        analysis = new Analyzer(options, null, keyTtls).analyze(data, now);
      } else {
        try (Jedis cache = RedisTarget.connect(cacheRedis)) {
          analysis =
              new Analyzer(
                      options,
                      new MemoryUsageSampler(
                          cache, dev.keywarm.redis.RedisEndpoint.redact(cacheRedis)),
                      keyTtls)
                  .analyze(data, now);
        }
      }
      AnalysisResult result = analysis.result();
      if (!noPlan) {
        String generation =
            new PlanWriter(stats.home(schema), schema).write(analysis.plan(), ttl, now);
        result = withGeneration(result, generation, ttl.toSeconds());
      }
      write(render(result));
      if (out != null) {
        err.println(
            "keywarm analyze: wrote "
                + out
                + (noPlan ? "" : "; plan " + result.plan().generation()));
      }
      return 0;
    } catch (NoDataException e) {
      err.println("keywarm analyze: " + e.getMessage());
      return NO_DATA;
    } catch (RedisTarget.UnusableRedisException e) {
      err.println("keywarm analyze: " + e.getMessage());
      return REDIS_UNUSABLE;
    } catch (redis.clients.jedis.exceptions.JedisException e) {
      err.println("keywarm analyze: Redis failed during the analysis: " + e.getMessage());
      return REDIS_UNUSABLE;
    } catch (IOException e) {
      err.println("keywarm analyze: cannot write " + out + ": " + e.getMessage());
      return 1;
    }
  }

  /**
   * Right after a short run every read is in the hour still being written: say so, and what to do.
   */
  private String onlyCurrentHour(HourRange range, HourBucket current, long keys) {
    return String.format(
        Locale.ROOT,
        "no complete hour of data for app '%s' in %s (UTC hours, end "
            + "exclusive); the current hour %s (since %02d:00 UTC, still being written) has reads of at "
            + "least %,d keys: pass --include-current-hour to include it, or wait until %02d:00 UTC",
        app,
        range,
        current.format(),
        current.hourOfDay(),
        keys,
        current.plusHours(1).hourOfDay());
  }

  private String render(AnalysisResult result) {
    return switch (format) {
      case json -> JsonReport.render(result);
      case html -> HtmlReport.render(result);
      case text -> TextReport.render(result);
    };
  }

  private void write(String report) throws IOException {
    if (out == null) {
      PrintWriter o = spec.commandLine().getOut();
      o.print(report);
      o.flush();
      return;
    }
    // written beside the target and moved over it: a reader never sees half a report
    Path absolute = out.toAbsolutePath();
    Path tmp = Files.createTempFile(absolute.getParent(), ".keywarm-report", ".tmp");
    try {
      Files.writeString(tmp, report, StandardCharsets.UTF_8);
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        // createTempFile makes it owner-only; a report is an ordinary file
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(
          tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static AnalysisResult withGeneration(
      AnalysisResult r, String generation, long ttlSeconds) {
    var p = r.plan();
    return new AnalysisResult(
        r.schema(),
        r.schemaVersion(),
        r.generatedAt(),
        r.app(),
        r.range(),
        r.totals(),
        r.zipf(),
        r.coverage(),
        r.hotSet(),
        r.hourly(),
        r.pairs(),
        r.patterns(),
        r.backtest(),
        new AnalysisResult.PlanInfo(
            generation,
            p.k(),
            p.expectedCoverage(),
            p.overallKeys(),
            p.hourPlans(),
            p.pairs(),
            ttlSeconds,
            p.ttls()),
        r.notes());
  }

  /** keywarm's one duration grammar ({@link Durations}), its message prefixed with the option. */
  static Duration parseDuration(String option, String text) {
    try {
      return Durations.parsePositive(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + " must be " + e.getMessage() + ", not '" + text + "'");
    }
  }

  private static double hours(Duration d) {
    return d.toMillis() / 3_600_000.0;
  }
}
