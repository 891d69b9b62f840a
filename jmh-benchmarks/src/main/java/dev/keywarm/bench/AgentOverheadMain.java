package dev.keywarm.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs {@link JedisCommandBenchmark} three times in one invocation — no agent, the keywarm agent,
 * the OpenTelemetry agent — plus {@link RecorderBenchmark}, and prints one table: benchmark ×
 * variant with ns/op ± 99.9% error, B/op ({@code gc.alloc.rate.norm}) and what each agent adds over
 * no agent. With {@code -Dbench.baseline.jar=PATH} a fourth variant, {@code baseline}, runs another
 * keywarm jar (a previous build) with the same agent arguments, and the table adds keywarm minus
 * baseline.
 *
 * <p>The agents are passed per variant with {@code OptionsBuilder.jvmArgsAppend}, not through
 * {@code @Fork}: one place, so nothing can silently replace it. A missing agent jar stops the run
 * before anything is measured, and every fork checks its own command line ({@link AgentCheck}).
 *
 * <p>With {@code -f N} the variants are measured in N rounds of one fork each, the order rotated
 * every round, so a noisy neighbour on a shared machine hits all variants alike; the iterations of
 * all rounds are pooled, exactly as JMH pools the iterations of several forks.
 *
 * <p>Agent jars: {@code -Dbench.keywarm.jar=...} (default {@code ../agent/target/keywarm.jar} next
 * to this module), {@code -Dbench.baseline.jar=...} (no default: no baseline variant) and {@code
 * -Dbench.otel.jar=...} (default {@code target/agents/opentelemetry-javaagent.jar} in this module,
 * copied there by the build).
 */
public final class AgentOverheadMain {

  static final String ALLOC = "gc.alloc.rate.norm";
  static final String BASELINE_JAR = "bench.baseline.jar";

  /**
   * keywarm's agent arguments in every keywarm fork; {@code -Dbench.keywarm.options=...} appends
   * more (for example {@code prometheus=0} to measure with the meters on).
   */
  static final String KEYWARM_OPTIONS =
      "=app=bench,flush=10s"
          + (System.getProperty("bench.keywarm.options", "").isBlank()
              ? ""
              : "," + System.getProperty("bench.keywarm.options").trim());

  private AgentOverheadMain() {}

  /** Run settings, from the command line. */
  static final class Settings {
    int rounds = 3;
    int warmupIterations = 3;
    int warmupSeconds = 2;
    int iterations = 5;
    int seconds = 1;
    String heap = "1g";
    String pin = "shared";
    List<String> jedisBenchmarks =
        List.of("getHit", "getMiss", "set", "lettuceSyncGet", "lettuceAsyncGet100");
    boolean jedis = true;
    boolean recorder = true;
    Path out;

    static Settings parse(String[] args) {
      Settings s = new Settings();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "-f" -> s.rounds = positive(arg, value(args, ++i));
          case "-wi" -> s.warmupIterations = nonNegative(arg, value(args, ++i));
          case "-w" -> s.warmupSeconds = positive(arg, value(args, ++i));
          case "-i" -> s.iterations = positive(arg, value(args, ++i));
          case "-r" -> s.seconds = positive(arg, value(args, ++i));
          case "--heap" -> s.heap = value(args, ++i);
          case "--pin" -> {
            s.pin = value(args, ++i);
            if (!List.of("shared", "split", "off").contains(s.pin)) {
              throw new IllegalArgumentException("--pin takes shared, split or off, not " + s.pin);
            }
          }
          case "--benchmarks" -> s.jedisBenchmarks = List.of(value(args, ++i).split(","));
          case "--only" -> {
            String only = value(args, ++i);
            s.jedis = only.equals("jedis");
            s.recorder = only.equals("recorder");
            if (!s.jedis && !s.recorder) {
              throw new IllegalArgumentException("--only takes jedis or recorder, not " + only);
            }
          }
          case "--out" -> s.out = Path.of(value(args, ++i));
          case "-h", "--help" -> {
            usage(System.out);
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      return s;
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }

    private static int positive(String name, String value) {
      int n = Integer.parseInt(value);
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be > 0");
      }
      return n;
    }

    private static int nonNegative(String name, String value) {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new IllegalArgumentException(name + " must be >= 0");
      }
      return n;
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "forks per variant=%d (variants interleaved), warmup %d x %ds, measurement %d x %ds, "
              + "-Xms%s -Xmx%s, -prof gc, CPU pinning of JVM and redis-server: %s",
          rounds,
          warmupIterations,
          warmupSeconds,
          iterations,
          seconds,
          heap,
          heap,
          pin);
    }
  }

  static void usage(PrintStream out) {
    out.println(
        """
        usage: java [-Dbench.keywarm.jar=PATH] [-Dbench.otel.jar=PATH] [-Dbench.baseline.jar=PATH]
                    [-Dbench.keywarm.options=more,agent=options]
                    -jar keywarm-benchmarks.jar [options]
          -f N              forks per variant, run in N rounds with the variant order rotated (default 3)
          -wi N, -w SEC     warmup iterations and seconds each (default 3 x 2)
          -i N, -r SEC      measurement iterations and seconds each (default 5 x 1)
          --heap SIZE       -Xms/-Xmx of every fork (default 1g)
          --pin MODE        shared: JVM and its redis-server on one CPU (default, stable);
                            split: on two CPUs (cross-CPU wake-ups, tens of us, noisy); off
          --benchmarks L    client benchmark methods, comma-separated (default getHit,getMiss,set,
                            lettuceSyncGet,lettuceAsyncGet100; also redissonBucketGet,redissonMapGet)
          --only WHAT       jedis or recorder (default both)
          --out FILE        also write the tables (Markdown) to FILE
        -Dbench.baseline.jar adds the variant baseline: keywarm's agent arguments with that jar (a previous
        build), and a row "keywarm vs baseline" per benchmark.
        Plain JMH is still there: java -cp keywarm-benchmarks.jar org.openjdk.jmh.Main ...""");
  }

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      usage(System.err);
      System.exit(64);
      return;
    }
    Path module = moduleDir();
    Path keywarmJar =
        agentJar(
            "bench.keywarm.jar",
            module.resolve("../agent/target/keywarm.jar"),
            "build it from the project root: mvn -q -pl agent -am install -DskipTests");
    Path otelJar =
        agentJar(
            "bench.otel.jar",
            module.resolve("target/agents/opentelemetry-javaagent.jar"),
            "build it from the project root: mvn -q -pl jmh-benchmarks package (copies it from the Maven repository)");
    Map<String, Path> keywarmJars =
        new LinkedHashMap<>(); // variant -> jar, run with the same arguments
    keywarmJars.put(AgentCheck.KEYWARM, keywarmJar);
    if (!System.getProperty(BASELINE_JAR, "").isBlank()) {
      keywarmJars.put(
          AgentCheck.BASELINE,
          agentJar(
              BASELINE_JAR,
              null,
              "build the previous commit's agent and pass its agent/target/keywarm.jar"));
    }
    int otlpPort = portNobodyListensOn();

    Map<String, List<String>> variantArgs = new LinkedHashMap<>(); // also the variants' order
    variantArgs.put(
        AgentCheck.NONE,
        new ArrayList<>(List.of("-D" + AgentCheck.EXPECT + "=" + AgentCheck.NONE)));
    for (var keywarm : keywarmJars.entrySet()) {
      // Other work may rebuild the agent while this runs: every fork attaches the same snapshot.
      Path agentSnapshot = snapshot(keywarm.getValue());
      variantArgs.put(
          keywarm.getKey(),
          new ArrayList<>(
              List.of(
                  "-javaagent:" + agentSnapshot + KEYWARM_OPTIONS,
                  "-D" + AgentCheck.EXPECT + "=" + keywarm.getKey(),
                  "-D" + AgentCheck.JAR + "=" + agentSnapshot)));
    }
    variantArgs.put(
        AgentCheck.OTEL,
        new ArrayList<>(
            List.of(
                "-javaagent:" + otelJar,
                "-Dotel.service.name=keywarm-bench",
                "-Dotel.traces.exporter=otlp",
                "-Dotel.exporter.otlp.protocol=http/protobuf",
                "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + otlpPort,
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.javaagent.logging=none",
                "-D" + AgentCheck.EXPECT + "=" + AgentCheck.OTEL,
                "-D" + AgentCheck.JAR + "=" + otelJar)));

    for (List<String> args2 : variantArgs.values()) {
      args2.add("-D" + CpuPinning.PROPERTY + "=" + settings.pin);
    }

    StringBuilder report = new StringBuilder();
    report
        .append("JVM: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs, JMH 1.37\n");
    report.append("Settings: ").append(settings.describe()).append('\n');
    report.append("Load average at start: ").append(loadAverage()).append('\n');
    for (var keywarm : keywarmJars.entrySet()) {
      report.append(
          String.format(
              Locale.ROOT,
              "%-9s -javaagent:%s%s  [%s; forks attach a copy taken at start]%n",
              keywarm.getKey() + ":",
              keywarm.getValue(),
              KEYWARM_OPTIONS,
              fingerprint(keywarm.getValue())));
    }
    report
        .append("otel:     -javaagent:")
        .append(otelJar)
        .append(" (traces batched to OTLP http/protobuf at 127.0.0.1:")
        .append(otlpPort)
        .append(", where nothing listens; metrics and logs exporters off)")
        .append("  [")
        .append(fingerprint(otelJar))
        .append("]\n");
    System.out.print(report);

    Instant started = Instant.now();
    boolean ok = true;
    if (settings.jedis) {
      Map<String, Map<String, Stats>> jedis = runJedis(settings, variantArgs);
      ok &= appendJedisTable(report, settings, jedis);
    }
    if (settings.recorder) {
      appendRecorderTable(report, settings);
    }
    report.append("\nLoad average at end: ").append(loadAverage()).append('\n');
    report
        .append("Total time: ")
        .append(Duration.between(started, Instant.now()).toSeconds())
        .append(" s\n");

    System.out.println();
    System.out.println("==================== keywarm agent overhead ====================");
    System.out.print(report);
    if (settings.out != null) {
      Files.writeString(settings.out, report.toString(), StandardCharsets.UTF_8);
      System.out.println("(written to " + settings.out.toAbsolutePath() + ")");
    }
    if (!ok) {
      System.exit(2);
    }
  }

  // ---------------------------------------------------------------- Jedis × agents

  /** Pooled iteration scores of one benchmark in one variant. */
  static final class Stats {
    final ListStatistics time = new ListStatistics();
    final ListStatistics bytes = new ListStatistics();
    String unit;
  }

  static Map<String, Map<String, Stats>> runJedis(
      Settings settings, Map<String, List<String>> variantArgs) throws RunnerException {
    List<String> variants = List.copyOf(variantArgs.keySet());
    Map<String, Map<String, Stats>> results =
        new LinkedHashMap<>(); // benchmark -> variant -> stats
    for (String benchmark : settings.jedisBenchmarks) {
      Map<String, Stats> byVariant = new LinkedHashMap<>();
      for (String variant : variants) {
        byVariant.put(variant, new Stats());
      }
      results.put(benchmark, byVariant);
    }
    String include =
        "^"
            + Pattern.quote(JedisCommandBenchmark.class.getPackageName())
            + "\\.(JedisCommandBenchmark|LettuceCommandBenchmark|RedissonCommandBenchmark)\\.("
            + String.join("|", settings.jedisBenchmarks)
            + ")$";
    for (int round = 0; round < settings.rounds; round++) {
      for (int v = 0; v < variants.size(); v++) {
        String variant =
            variants.get((v + round) % variants.size()); // rotate the order every round
        System.out.printf("%n##### round %d/%d, variant %s%n", round + 1, settings.rounds, variant);
        ChainedOptionsBuilder options =
            common(settings)
                .include(include)
                .jvmArgsAppend(variantArgs.get(variant).toArray(String[]::new));
        Collection<RunResult> runs = new Runner(options.build()).run();
        for (RunResult run : runs) {
          String name = run.getParams().getBenchmark();
          String method = name.substring(name.lastIndexOf('.') + 1);
          Stats stats = results.get(method).get(variant);
          for (BenchmarkResult fork : run.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
              Result<?> primary = iteration.getPrimaryResult();
              stats.unit = primary.getScoreUnit();
              stats.time.addValue(primary.getScore());
              Result<?> alloc = iteration.getSecondaryResults().get(ALLOC);
              if (alloc == null) {
                throw new IllegalStateException(
                    "no " + ALLOC + " from the GC profiler for " + name);
              }
              stats.bytes.addValue(alloc.getScore());
            }
          }
        }
      }
    }
    for (var benchmark : results.entrySet()) {
      for (var variant : benchmark.getValue().entrySet()) {
        if (variant.getValue().time.getN() == 0) {
          throw new IllegalStateException(
              "no result for " + benchmark.getKey() + " / " + variant.getKey());
        }
      }
    }
    return results;
  }

  static ChainedOptionsBuilder common(Settings settings) {
    return new OptionsBuilder()
        .forks(1)
        .warmupIterations(settings.warmupIterations)
        .warmupTime(TimeValue.seconds(settings.warmupSeconds))
        .measurementIterations(settings.iterations)
        .measurementTime(TimeValue.seconds(settings.seconds))
        .jvmArgs(
            "-Xms" + settings.heap,
            "-Xmx" + settings.heap) // explicit: nothing inherited from this JVM
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true);
  }

  static boolean appendJedisTable(
      StringBuilder out, Settings settings, Map<String, Map<String, Stats>> results) {
    boolean ok = true;
    out.append(
            "\nJedisCommandBenchmark, LettuceCommandBenchmark and RedissonCommandBenchmark (AverageTime, one client call — for "
                + "lettuceAsyncGet100 a batch of 100 async GETs — over loopback to a private redis-server; ")
        .append("errors are 99.9% confidence intervals over ")
        .append(settings.rounds * settings.iterations)
        .append(" iterations)\n\n");
    out.append(
        "| benchmark | variant | ns/op | B/op | added ns/op vs none | added B/op vs none |\n");
    out.append("|---|---|---:|---:|---:|---:|\n");
    for (var entry : results.entrySet()) {
      String benchmark = entry.getKey();
      Map<String, Stats> byVariant = entry.getValue();
      Stats none = byVariant.get(AgentCheck.NONE);
      for (var variant : byVariant.entrySet()) {
        Stats s = variant.getValue();
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s ± %s | %s ± %s | %s |%n",
                benchmark,
                variant.getKey(),
                num(s.time.getMean()),
                num(error(s.time)),
                num1(s.bytes.getMean()),
                num1(error(s.bytes)),
                s == none ? "— | —" : difference(s, none)));
      }
      Stats keywarm = byVariant.get(AgentCheck.KEYWARM);
      Stats otel = byVariant.get(AgentCheck.OTEL);
      double otelBytes = otel.bytes.getMean() - none.bytes.getMean();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | keywarm-added / otel-added | | | %s | %s |%n",
              benchmark,
              ratio(
                  keywarm.time.getMean() - none.time.getMean(),
                  otel.time.getMean() - none.time.getMean()),
              ratio(keywarm.bytes.getMean() - none.bytes.getMean(), otelBytes)));
      Stats baseline = byVariant.get(AgentCheck.BASELINE);
      if (baseline != null) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | keywarm vs baseline | | | %s |%n",
                benchmark,
                difference(keywarm, baseline)));
      }
      if (otelBytes < 256) {
        ok = false;
        out.append("\nWARNING: the OpenTelemetry agent added only ")
            .append(num1(otelBytes))
            .append(" B/op to ")
            .append(benchmark)
            .append(
                ": it does not seem to trace Jedis here, so the comparison is meaningless.\n\n");
      }
    }
    String unit = results.values().iterator().next().get(AgentCheck.NONE).unit;
    if (!"ns/op".equals(unit)) {
      out.append("(time unit: ").append(unit).append(")\n");
    }
    return ok;
  }

  // ---------------------------------------------------------------- recorder

  static void appendRecorderTable(StringBuilder out, Settings settings)
      throws IOException, RunnerException {
    Path statsFile = Files.createTempFile("keywarm-recorder-", ".txt");
    try {
      System.out.printf("%n##### RecorderBenchmark%n");
      ChainedOptionsBuilder options =
          common(settings)
              .include("^" + Pattern.quote(RecorderBenchmark.class.getName()) + "\\.")
              .jvmArgsAppend(
                  "-D" + RecorderBenchmark.STATS_FILE + "=" + statsFile,
                  "-D" + AgentCheck.EXPECT + "=" + AgentCheck.NONE);
      List<RunResult> runs = new ArrayList<>(new Runner(options.build()).run());
      runs.sort((a, b) -> recorderKey(a).compareTo(recorderKey(b)));
      Map<String, String> loss = new LinkedHashMap<>();
      for (String line : Files.readAllLines(statsFile, StandardCharsets.UTF_8)) {
        loss.put(line.substring(0, line.indexOf(' ')), line);
      }
      out.append(
              "\nRecorderBenchmark (Throughput, one fork each, no pinning: records offered per second through ")
          .append(
              "CallRecord.begin/argument/complete with the aggregator draining concurrently; one op = one GET hit; ")
          .append("kept = offered x (1 - lost share); errors 99.9% over ")
          .append(settings.iterations)
          .append(" iterations)\n\n");
      out.append(
          "| benchmark | co-access pairs | threads | records/s | per thread | B/op | lost in measurement | kept records/s | drained in total | lost in total |\n");
      out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (RunResult run : runs) {
        String name = run.getParams().getBenchmark();
        String method = name.substring(name.lastIndexOf('.') + 1);
        String pairs = run.getParams().getParam("coAccessPairs");
        int threads = run.getParams().getThreads();
        Result<?> primary = run.getPrimaryResult();
        Result<?> alloc = run.getSecondaryResults().get(ALLOC);
        String line = loss.getOrDefault(method + "/pairs=" + pairs, "");
        long attempted = 0;
        for (BenchmarkResult fork : run.getBenchmarkResults()) {
          for (IterationResult iteration : fork.getIterationResults()) {
            attempted += iteration.getMetadata().getAllOps();
          }
        }
        long lostMeasured = value(line, "lostInMeasurement");
        double lostShare =
            attempted > 0 && lostMeasured >= 0 ? (double) lostMeasured / attempted : Double.NaN;
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %s ± %s | %s | %s ± %s | %s (%.1f%%) | %s | %s | %s |%n",
                method,
                pairs,
                threads,
                millions(primary.getScore()),
                millions(primary.getScoreError()),
                millions(primary.getScore() / threads),
                alloc == null ? "?" : num3(alloc.getScore()),
                alloc == null ? "?" : num3(alloc.getScoreError()),
                count(lostMeasured),
                100 * lostShare,
                millions(primary.getScore() * (1 - lostShare)),
                count(value(line, "recorded")),
                count(value(line, "lost"))));
      }
    } finally {
      Files.deleteIfExists(statsFile);
    }
  }

  private static String recorderKey(RunResult run) {
    String name = run.getParams().getBenchmark();
    return name.substring(name.lastIndexOf('.') + 1)
        + "/"
        + run.getParams().getParam("coAccessPairs");
  }

  /** A {@code name=value} field of a fork's loss line, or -1. */
  private static long value(String line, String name) {
    for (String part : line.split(" ")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    return -1;
  }

  private static String count(long value) {
    return value < 0 ? "?" : String.format(Locale.ROOT, "%,d", value);
  }

  /** Size, modification time and SHA-256 prefix: which build of an agent was measured. */
  static String fingerprint(Path jar) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest(Files.readAllBytes(jar));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        hex.append(String.format(Locale.ROOT, "%02x", digest[i]));
      }
      return String.format(
          Locale.ROOT,
          "%,d bytes, modified %s, sha256 %s…",
          Files.size(jar),
          Files.getLastModifiedTime(jar)
              .toInstant()
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
          hex);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      return "unreadable: " + e;
    }
  }

  // ---------------------------------------------------------------- paths, ports, numbers

  /**
   * This module's directory: the jar is target/keywarm-benchmarks.jar, the classes target/classes.
   */
  static Path moduleDir() {
    try {
      Path code =
          Path.of(
                  AgentOverheadMain.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toAbsolutePath()
              .normalize();
      Path target = code.getParent();
      if (target != null
          && target.getFileName() != null
          && target.getFileName().toString().equals("target")
          && target.getParent() != null) {
        return target.getParent();
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the working directory
    }
    Path cwd = Path.of("").toAbsolutePath();
    return Files.isDirectory(cwd.resolve("jmh-benchmarks")) ? cwd.resolve("jmh-benchmarks") : cwd;
  }

  /** The jar from the property or the default; stops the run when it does not exist. */
  static Path agentJar(String property, Path fallback, String hint) {
    String configured = System.getProperty(property);
    Path jar =
        (configured == null || configured.isBlank() ? fallback : Path.of(configured))
            .toAbsolutePath()
            .normalize();
    if (!Files.isRegularFile(jar)) {
      System.err.println(
          "ERROR: agent jar not found: "
              + jar
              + (configured == null
                  ? " (default; set -D" + property + "=PATH)"
                  : " (from -D" + property + ")"));
      System.err.println("       " + hint);
      System.err.println(
          "       Refusing to run: without the agent the comparison would measure nothing.");
      System.exit(66);
    }
    return jar;
  }

  /** The 1, 5 and 15 minute load averages (Linux), to show how busy the shared machine was. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0]
          + " "
          + parts[1]
          + " "
          + parts[2]
          + " ("
          + Runtime.getRuntime().availableProcessors()
          + " CPUs)";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** A private copy of {@code jar}, deleted when this JVM exits. */
  static Path snapshot(Path jar) throws IOException {
    Path dir = Files.createTempDirectory("keywarm-bench-agent-");
    Path copy = dir.resolve(jar.getFileName());
    Files.copy(jar, copy);
    copy.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return copy;
  }

  /** A loopback port that was free a moment ago and that nothing here will listen on. */
  static int portNobodyListensOn() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double error(ListStatistics s) {
    return s.getN() > 2 ? s.getMeanErrorAt(0.999) : Double.NaN;
  }

  /** The two table cells "a − b ± error" for ns/op and for B/op. */
  static String difference(Stats a, Stats b) {
    return signed(a.time.getMean() - b.time.getMean())
        + " ± "
        + num(combined(a.time, b.time))
        + " | "
        + signed1(a.bytes.getMean() - b.bytes.getMean())
        + " ± "
        + num1(combined(a.bytes, b.bytes));
  }

  /** Error of a difference of two independent means: the errors added in quadrature. */
  static double combined(ListStatistics a, ListStatistics b) {
    return Math.sqrt(Math.pow(error(a), 2) + Math.pow(error(b), 2));
  }

  static String ratio(double part, double whole) {
    if (whole <= 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.3f", part / whole);
  }

  static String num(double value) {
    return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%,.0f", value);
  }

  static String num1(double value) {
    return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%,.1f", value);
  }

  static String num3(double value) {
    return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%,.3f", value);
  }

  static String signed(double value) {
    return (value >= 0 ? "+" : "") + num(value);
  }

  static String signed1(double value) {
    return (value >= 0 ? "+" : "") + num1(value);
  }

  static String millions(double value) {
    return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%,.1f M", value / 1e6);
  }
}
