package dev.keywarm.runner;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.runner.plan.PlanOptions;
import dev.keywarm.runner.plan.PlanReader;
import dev.keywarm.runner.plan.PlanSnapshot;
import dev.keywarm.runner.plan.WarmPlan;
import dev.keywarm.runner.readiness.ReadinessEndpoint;
import dev.keywarm.runner.readiness.ReadinessFile;
import dev.keywarm.schema.KeySchema;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The warm-runner's entry point: reads the plan (or the fallback ranking) from the stats Redis, takes
 * the fleet lease, replays the plan through the registered loaders into the cache Redis, and reports
 * progress (log lines, JMX, readiness file and endpoint) and a result record.
 *
 * <pre>{@code
 * WarmResult result = WarmRunner.builder()
 *     .redis("redis://cache:6379").app("shop")
 *     .loader("product:*", key -> LoadedValue.of(productJson(key)))
 *     .build()
 *     .run();                       // or .start() for a background thread and a WarmHandle
 * }</pre>
 *
 * A runner is reusable: each {@link #run()}/{@link #start()} is a new warm with fresh counters.
 */
public final class WarmRunner {

  private final WarmSettings settings;
  private final LoaderTable loaders;
  private final Consumer<WarmProgress> progressListener;
  private final Clock clock;

  private WarmRunner(WarmSettings settings, LoaderTable loaders, Consumer<WarmProgress> listener,
      Clock clock) {
    this.settings = settings;
    this.loaders = loaders;
    this.progressListener = listener;
    this.clock = clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Warms on the calling thread; returns when done. Never throws for Redis or loader trouble: see the status. */
  public WarmResult run() {
    return new WarmRun(settings, loaders, progressListener, clock).execute();
  }

  /** Warms on a new daemon thread ({@code keywarm-warm-<app>}); the handle shows progress and the result. */
  public WarmHandle start() {
    WarmRun run = new WarmRun(settings, loaders, progressListener, clock);
    CompletableFuture<WarmResult> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(run.execute());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "keywarm-warm-" + settings.app());
    thread.setDaemon(true);
    thread.start();
    return new WarmHandle(result, run::progress, run::cancel);
  }

  /** Configures a runner. Defaults are listed with each setter and in the module README. */
  public static final class Builder {

    private String app;
    private String redisUri;
    private String statsUri;
    private int concurrency = 8;
    private double ratePerSecond = 500;
    private int maxKeys = 100_000;
    private long maxBytes;
    private Duration maxTime;
    private Duration callTimeout = Duration.ofSeconds(2);
    private Duration defaultTtl = Duration.ofHours(1);
    private int historyDays = 7;
    private double minPairLift = 2.0;
    private boolean nextHour;
    private double maxErrorRate = 0.5;
    private int writers = 1;
    private int writeBatch = 512;
    private Duration redisTimeout = Duration.ofSeconds(2);
    private Duration redisGiveUpAfter = Duration.ofSeconds(30);
    private boolean lease = true;
    private boolean awaitLeader;
    private Duration leaseTtl = Duration.ofSeconds(30);
    private String instanceId;
    private double targetCoverage = 0.95;
    private Path readinessFile;
    private Path planSnapshot;
    private boolean planSnapshotSet;
    private int readinessPort = -1;
    private Duration progressInterval = Duration.ofSeconds(5);
    private boolean jmx = true;
    private boolean serviceLoaders = true;
    private ClassLoader classLoader;
    private Consumer<WarmProgress> progressListener;
    private Clock clock = Clock.systemUTC();
    private final LoaderTable loaders = new LoaderTable();

    private Builder() {}

    /** Application name (the hash tag of its stats keys). Required. */
    public Builder app(String app) {
      this.app = app;
      return this;
    }

    /** The cache Redis to warm, {@code redis[s]://[user:password@]host:port[/db]}; a cluster is detected. Required. */
    public Builder redis(String uri) {
      this.redisUri = uri;
      return this;
    }

    /** Where plans, hourly sets, the lease and the result live; default: the cache Redis. */
    public Builder statsRedis(String uri) {
      this.statsUri = uri;
      return this;
    }

    /** Registers a loader for keys matching a Redis glob; the first matching registration wins. */
    public Builder loader(String keyPattern, KeyLoader loader) {
      loaders.register(keyPattern, loader);
      return this;
    }

    /** Registers a loader whose values without their own TTL expire after {@code ttl}. */
    public Builder loader(String keyPattern, KeyLoader loader, Duration ttl) {
      loaders.register(keyPattern, loader, ttl);
      return this;
    }

    /** TTL for values (without their own) of keys matching the pattern, whichever loader made them. */
    public Builder ttlFor(String keyPattern, Duration ttl) {
      loaders.ttlFor(keyPattern, ttl);
      return this;
    }

    /** TTL when neither loader nor pattern gives one; default 1 h; {@code null} or zero: no expiry. */
    public Builder defaultTtl(Duration ttl) {
      this.defaultTtl = ttl == null || ttl.isZero() ? null : ttl;
      return this;
    }

    /** Also register {@code KeyLoaderProvider}s found by ServiceLoader (after the others); default true. */
    public Builder serviceLoaders(boolean enabled) {
      this.serviceLoaders = enabled;
      return this;
    }

    /** Class loader for ServiceLoader discovery; default: the thread's context class loader. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
      return this;
    }

    /** Most loader calls in flight (the AIMD ceiling); default 8. */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** Loads per second; default 500; 0: unlimited. */
    public Builder ratePerSecond(double rate) {
      this.ratePerSecond = rate;
      return this;
    }

    /** Most keys planned (primary + next hour; correlated keys at most as many again); default 100 000. */
    public Builder maxKeys(int maxKeys) {
      this.maxKeys = maxKeys;
      return this;
    }

    /** Stop loading after this many value bytes; default 0: no limit. */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    /** Stop dispatching after this long; default: no limit. */
    public Builder maxTime(Duration maxTime) {
      this.maxTime = maxTime;
      return this;
    }

    /** A loader call (one key or one batch) slower than this is counted as timed out; default 2 s. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = timeout;
      return this;
    }

    /**
     * Where the last plan is kept on local disk (see {@link PlanSnapshot}); null for none. Default:
     * {@code <tmpdir>/keywarm/<app>.plan}.
     */
    public Builder planSnapshot(Path file) {
      this.planSnapshot = file;
      this.planSnapshotSet = true;
      return this;
    }

    /** Days of hourly sets the fallback ranking reads when no plan exists; default 7. */
    public Builder historyDays(int days) {
      this.historyDays = days;
      return this;
    }

    /** Correlated keys need at least this lift; default 2.0. */
    public Builder minPairLift(double lift) {
      this.minPairLift = lift;
      return this;
    }

    /** Also warm the next hour's plan, last; default false. */
    public Builder nextHour(boolean enabled) {
      this.nextHour = enabled;
      return this;
    }

    /** Abort when failed + timed-out keys exceed this share (after 20 keys); default 0.5. */
    public Builder maxErrorRate(double rate) {
      this.maxErrorRate = rate;
      return this;
    }

    /** Writer threads (one connection each) and keys per pipeline; default 1 × 512. */
    public Builder writers(int writers, int batch) {
      this.writers = writers;
      this.writeBatch = batch;
      return this;
    }

    /** Connect/read timeout towards Redis; default 2 s. */
    public Builder redisTimeout(Duration timeout) {
      this.redisTimeout = timeout;
      return this;
    }

    /** How long an unreachable Redis is retried (with back-off) before the run fails; default 30 s. */
    public Builder redisGiveUpAfter(Duration giveUpAfter) {
      this.redisGiveUpAfter = giveUpAfter;
      return this;
    }

    /** Take the fleet lease so that one instance warms for all; default true, TTL 30 s. */
    public Builder lease(boolean enabled, Duration ttl) {
      this.lease = enabled;
      this.leaseTtl = ttl;
      return this;
    }

    /**
     * When another instance holds the lease: wait until it is released (or expires), then report the
     * leader's result record as this run's ({@link WarmStatus#FOLLOWED_LEADER}), so that readiness
     * gates every instance of the fleet, not only the one that warms; default false (return at once,
     * {@link WarmStatus#LEASE_HELD}). Bounded by {@code maxTime} when set.
     */
    public Builder awaitLeader(boolean enabled) {
      this.awaitLeader = enabled;
      return this;
    }

    /** This instance's name in the lease and the result; default {@code pid@host-<random>}. */
    public Builder instanceId(String id) {
      this.instanceId = id;
      return this;
    }

    /** Coverage at which readiness turns ready and the CLI succeeds; default 0.95. */
    public Builder targetCoverage(double coverage) {
      this.targetCoverage = coverage;
      return this;
    }

    /** Write {@code warming}/{@code ready} JSON to this file (atomically); default: none. */
    public Builder readinessFile(Path file) {
      this.readinessFile = file;
      return this;
    }

    /** Serve 503/200 readiness on this port (0: any free port); default -1: no endpoint. */
    public Builder readinessPort(int port) {
      this.readinessPort = port;
      return this;
    }

    /** How often progress is reported (log line or listener, readiness file); default 5 s. */
    public Builder progressInterval(Duration interval) {
      this.progressInterval = interval;
      return this;
    }

    /** Replaces the default progress log line. */
    public Builder progressListener(Consumer<WarmProgress> listener) {
      this.progressListener = listener;
      return this;
    }

    /** Register the MXBean {@code dev.keywarm:type=WarmRunner,app=<app>}; default true. */
    public Builder jmx(boolean enabled) {
      this.jmx = enabled;
      return this;
    }

    /** The clock that picks the hour of day (tests). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public WarmRunner build() {
      KeySchema.forApp(app); // validates the name
      Objects.requireNonNull(redisUri, "redis URI");
      if (concurrency < 1 || writers < 1 || writeBatch < 1 || maxKeys < 1 || historyDays < 1) {
        throw new IllegalArgumentException("concurrency, writers, batch, maxKeys, historyDays must be >= 1");
      }
      if (ratePerSecond < 0 || maxErrorRate < 0 || targetCoverage < 0 || targetCoverage > 1) {
        throw new IllegalArgumentException("rate, error rate must be >= 0; target coverage 0..1");
      }
      if (serviceLoaders) {
        loaders.registerServiceProviders(classLoader != null ? classLoader
            : Thread.currentThread().getContextClassLoader());
      }
      String instance = instanceId != null ? instanceId
          : ManagementFactory.getRuntimeMXBean().getName() + "-"
              + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
      WarmSettings settings = new WarmSettings(app, redisUri, statsUri == null ? redisUri : statsUri,
          concurrency, ratePerSecond, maxKeys, maxBytes, maxTime, callTimeout, defaultTtl,
          historyDays, minPairLift, nextHour, maxErrorRate, writers, writeBatch, redisTimeout,
          redisGiveUpAfter, lease, awaitLeader, leaseTtl, instance, targetCoverage, readinessFile,
          planSnapshotSet ? planSnapshot : PlanSnapshot.defaultFile(app), readinessPort,
          progressInterval, jmx);
      Consumer<WarmProgress> listener = progressListener != null ? progressListener
          : p -> WarmLog.info(progressLine(app, p));
      return new WarmRunner(settings, loaders, listener, clock);
    }
  }

  /**
   * The plan from the stats Redis, kept as the local snapshot; or, when the stats Redis has none (it
   * was the cache Redis, and it restarted) or cannot be read, the last snapshot.
   */
  private static WarmPlan readPlan(WarmSettings settings, Clock clock, RedisTarget stats,
      KeySchema schema) {
    WarmPlan plan;
    try {
      plan = new PlanReader(stats.client(), schema).read(clock.instant(),
          new PlanOptions(settings.maxKeys(), settings.historyDays(), settings.minPairLift(),
              settings.nextHour()));
    } catch (RuntimeException e) {
      WarmPlan saved = loadSnapshot(settings);
      if (saved == null) {
        throw e;
      }
      WarmLog.warn("plan not readable from the stats Redis (" + e.getMessage() + "); using "
          + saved.source());
      return saved;
    }
    boolean empty = plan.primary().isEmpty() && plan.nextHour().isEmpty();
    if (empty) {
      WarmPlan saved = loadSnapshot(settings);
      if (saved != null) {
        WarmLog.info("no plan or history in the stats Redis; using " + saved.source());
        return saved;
      }
    } else if (settings.planSnapshot() != null) {
      try {
        PlanSnapshot.save(plan, settings.planSnapshot());
      } catch (IOException e) {
        WarmLog.warn("plan snapshot not written to " + settings.planSnapshot() + ": " + e.getMessage());
      }
    }
    return plan;
  }

  private static WarmPlan loadSnapshot(WarmSettings settings) {
    if (settings.planSnapshot() == null) {
      return null;
    }
    try {
      return PlanSnapshot.load(settings.planSnapshot());
    } catch (IOException e) {
      WarmLog.warn("plan snapshot " + settings.planSnapshot() + " unreadable: " + e.getMessage());
      return null;
    }
  }

  /** The default progress line. */
  public static String progressLine(String app, WarmProgress p) {
    return String.format(Locale.ROOT,
        "%s %s: %d/%d keys, coverage %.1f%%, warmed %d, existing %d, missing %d, failed %d, "
            + "timed out %d, concurrency %d, %ds",
        p.state(), app, p.done(), p.planned(), p.coverage() * 100, p.warmed(), p.skippedExisting(),
        p.missing(), p.failed(), p.timedOut(), p.concurrencyLimit(), p.elapsed().toSeconds());
  }

  /** Another instance warms for the fleet: ends this run early, through the normal cleanup. */
  private static final class LeaseHeld extends RuntimeException {
    LeaseHeld(String message) {
      super(message, null, false, false);
    }
  }

  /** One execution: owns the connections, the engine, the lease and the progress reporting. */
  private static final class WarmRun {

    private final WarmSettings settings;
    private final LoaderTable loaders;
    private final Consumer<WarmProgress> listener;
    private final Clock clock;
    private final WarmCounters counters = new WarmCounters();
    private final long startNanos = System.nanoTime();
    private volatile WarmEngine engine;
    private volatile String state = "planning";
    private volatile boolean cancelled;
    private ReadinessFile readinessFile;
    private ReadinessEndpoint readinessEndpoint;
    /** The leader's result record, once this instance has waited for it. */
    private volatile java.util.Map<String, String> leaderRecord;

    WarmRun(WarmSettings settings, LoaderTable loaders, Consumer<WarmProgress> listener, Clock clock) {
      this.settings = settings;
      this.loaders = loaders;
      this.listener = listener;
      this.clock = clock;
    }

    WarmProgress progress() {
      WarmEngine e = engine;
      return new WarmProgress(state, counters.planned.get(), counters.dispatched.get(),
          counters.warmed.get(), counters.skippedExisting.get(), counters.missing.get(),
          counters.failed.get(), counters.timedOut.get(), counters.noLoader.get(),
          counters.bytesWritten.get(), counters.coverage(),
          e == null ? settings.concurrency() : e.concurrencyLimit(),
          e == null ? settings.concurrency() : e.minConcurrencyLimit(),
          e == null ? 0 : e.concurrencyDecreases(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    void cancel() {
      cancelled = true;
      WarmEngine e = engine;
      if (e != null) {
        e.cancel();
      }
    }

    WarmResult execute() {
      KeySchema schema = KeySchema.forApp(settings.app());
      startReadiness();
      if (settings.jmx()) {
        WarmRunnerMetrics.register(settings.app(), this::progress);
      }
      Thread reporter = startReporter();
      RedisTarget stats = null;
      RedisTarget target = null;
      FleetLease lease = null;
      WarmStatus status;
      String error = null;
      String planSource = "none";
      try {
        if (loaders.isEmpty()) {
          WarmLog.warn("no loaders registered: every planned key will count as no-loader");
        }
        target = RedisTarget.connect(settings.redisUri(), settings.redisTimeout(),
            settings.redisGiveUpAfter());
        stats = settings.statsUri().equals(settings.redisUri()) ? target
            : RedisTarget.connect(settings.statsUri(), settings.redisTimeout(), settings.redisGiveUpAfter());
        if (settings.lease()) {
          lease = FleetLease.tryAcquire(stats.client(), schema.warmLease(), settings.instanceId(),
              settings.leaseTtl().toMillis());
          if (lease == null) {
            String holder = FleetLease.holder(stats.client(), schema.warmLease());
            WarmLog.info("instance " + holder + " holds the warm lease for " + settings.app()
                + "; this instance does not warm" + (settings.awaitLeader() ? " and waits for it" : ""));
            if (settings.awaitLeader()) {
              state = "warming";
              awaitLeader(stats, schema);
            }
            throw new LeaseHeld("lease held by " + holder);
          }
        }
        WarmPlan plan = readPlan(settings, clock, stats, schema);
        planSource = plan.source();
        WarmLog.info(String.format(Locale.ROOT,
            "warming %s into %s from %s: %d keys (+%d next hour), %d correlated pairs, %d loaders,"
                + " concurrency %d, %s/s", settings.app(), target, plan.source(),
            plan.primary().size(), plan.nextHour().size(), plan.pairs().size(),
            loaders.entries().size(), settings.concurrency(),
            settings.ratePerSecond() == 0 ? "unlimited" : String.valueOf((long) settings.ratePerSecond())));
        if (plan.primary().isEmpty() && plan.nextHour().isEmpty()) {
          WarmLog.warn("the plan for " + settings.app() + " is empty: is the agent recording with app="
              + settings.app() + " into " + dev.keywarm.redis.RedisEndpoint.redact(settings.statsUri()) + "?");
        }
        state = "warming";
        WarmEngine e = new WarmEngine(settings, loaders, target, counters, plan.pairs().size() > 0,
            startNanos);
        engine = e;
        if (cancelled) {
          e.cancel();
        }
        status = e.run(plan);
        error = e.abortReason();
      } catch (LeaseHeld ex) {
        status = leaderRecord != null ? WarmStatus.FOLLOWED_LEADER : WarmStatus.LEASE_HELD;
        planSource = leaderRecord != null ? "leader " + leaderRecord.get("instance") : "lease";
        error = leaderRecord != null ? null : ex.getMessage();
      } catch (RedisUnavailableException ex) {
        status = WarmStatus.FAILED;
        error = ex.getMessage();
      } catch (JedisException ex) {
        status = WarmStatus.FAILED;
        error = "Redis error: " + ex.getMessage();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        status = WarmStatus.CANCELLED;
        error = "interrupted";
      } catch (RuntimeException ex) {
        // e.g. a malformed plan entry: still a result record, still cleaned up, never a dead thread
        status = WarmStatus.FAILED;
        error = "unexpected: " + ex;
      } finally {
        reporter.interrupt();
        if (lease != null) {
          lease.close();
        }
      }
      try {
        return finish(stats, status, planSource, error);
      } finally {
        if (stats != null && stats != target) {
          stats.close();
        }
        if (target != null) {
          target.close();
        }
      }
    }

    private WarmResult finish(RedisTarget stats, WarmStatus status, String planSource, String error) {
      state = "done";
      WarmResult result = status == WarmStatus.FOLLOWED_LEADER ? followed(planSource)
          : new WarmResult(settings.app(), settings.instanceId(), status, planSource,
              counters.planned.get(), counters.warmed.get(), counters.skippedExisting.get(),
              counters.missing.get(), counters.failed.get(), counters.timedOut.get(),
              counters.noLoader.get(), counters.bytesWritten.get(),
              Duration.ofNanos(System.nanoTime() - startNanos), counters.coverage(), clock.instant(),
              error);
      if (stats != null && status != WarmStatus.LEASE_HELD && status != WarmStatus.FOLLOWED_LEADER) {
        try {
          stats.client().hset(KeySchema.forApp(settings.app()).warmLastResult(), result.toFields());
        } catch (JedisException e) {
          WarmLog.warn("could not store the result record: " + e.getMessage());
        }
      }
      updateReadiness(true, readinessJson(result.status().name().toLowerCase(Locale.ROOT),
          result.expectedCoverage()));
      if (readinessEndpoint != null && settings.readinessPort() != 0) {
        readinessEndpoint.close(); // a fixed port is released; port 0 (tests) stays for inspection
      }
      if (status == WarmStatus.COMPLETED || status == WarmStatus.BUDGET_REACHED
          || status == WarmStatus.LEASE_HELD || status == WarmStatus.FOLLOWED_LEADER) {
        WarmLog.info(result.summary());
      } else {
        WarmLog.warn(result.summary());
      }
      return result;
    }

    /** Polls until the lease is gone (or cancel, or maxTime), then keeps the leader's record. */
    private void awaitLeader(RedisTarget stats, KeySchema schema) throws InterruptedException {
      long deadline = settings.maxTime() == null ? Long.MAX_VALUE
          : startNanos + settings.maxTime().toNanos();
      while (stats.client().exists(schema.warmLease())) {
        if (cancelled || System.nanoTime() > deadline) {
          return;
        }
        Thread.sleep(Math.max(10, Math.min(200, settings.leaseTtl().toMillis() / 10)));
      }
      java.util.Map<String, String> record = stats.client().hgetAll(schema.warmLastResult());
      leaderRecord = record.isEmpty() ? null : record;
    }

    /** This run's result: the leader's counts and coverage, this instance's name and duration. */
    private WarmResult followed(String planSource) {
      java.util.Map<String, String> r = leaderRecord;
      return new WarmResult(settings.app(), settings.instanceId(), WarmStatus.FOLLOWED_LEADER,
          planSource, number(r, "planned"), number(r, "warmed"), number(r, "skipped_existing"),
          number(r, "missing"), number(r, "failed"), number(r, "timed_out"), number(r, "no_loader"),
          number(r, "bytes_written"), Duration.ofNanos(System.nanoTime() - startNanos),
          "completed".equals(r.get("status")) || "budget_reached".equals(r.get("status"))
              ? Double.parseDouble(r.getOrDefault("expected_coverage", "0")) : 0.0,
          clock.instant(), null);
    }

    private static long number(java.util.Map<String, String> record, String field) {
      try {
        return Long.parseLong(record.getOrDefault(field, "0"));
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private Thread startReporter() {
      Thread t = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            Thread.sleep(settings.progressInterval().toMillis());
          } catch (InterruptedException e) {
            return;
          }
          WarmProgress p = progress();
          listener.accept(p);
          updateReadiness(p.coverage() >= settings.targetCoverage() && "warming".equals(p.state())
              && p.done() > 0, readinessJson("running", p.coverage()));
        }
      }, "keywarm-progress-" + settings.app());
      t.setDaemon(true);
      t.start();
      return t;
    }

    private void startReadiness() {
      if (settings.readinessFile() != null) {
        readinessFile = new ReadinessFile(settings.readinessFile());
      }
      if (settings.readinessPort() >= 0) {
        try {
          readinessEndpoint = new ReadinessEndpoint(settings.readinessPort());
          WarmLog.info("readiness endpoint on port " + readinessEndpoint.port());
        } catch (IOException e) {
          WarmLog.warn("readiness endpoint not started on port " + settings.readinessPort() + ": " + e);
        }
      }
      updateReadiness(false, readinessJson("running", 0));
    }

    /** The port the readiness endpoint bound, or -1. */
    int readinessPort() {
      return readinessEndpoint == null ? -1 : readinessEndpoint.port();
    }

    private synchronized void updateReadiness(boolean ready, String json) {
      String body = json.replace("\"state\":\"?\"", "\"state\":\"" + (ready ? "ready" : "warming") + "\"");
      if (readinessFile != null) {
        try {
          readinessFile.write(body + "\n");
        } catch (IOException e) {
          WarmLog.warn("readiness file " + readinessFile.path() + " not written: " + e);
        }
      }
      if (readinessEndpoint != null) {
        readinessEndpoint.update(ready, body);
      }
    }

    private String readinessJson(String status, double coverage) {
      WarmProgress p = progress();
      return String.format(Locale.ROOT,
          "{\"state\":\"?\",\"status\":\"%s\",\"app\":\"%s\",\"coverage\":%.4f,\"planned\":%d,"
              + "\"warmed\":%d,\"skipped_existing\":%d,\"missing\":%d,\"failed\":%d,\"timed_out\":%d}",
          status, settings.app(), coverage, p.planned(), p.warmed(), p.skippedExisting(),
          p.missing(), p.failed(), p.timedOut());
    }
  }
}
