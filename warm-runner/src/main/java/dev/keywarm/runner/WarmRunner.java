package dev.keywarm.runner;

import dev.keywarm.loader.FieldLoader;
import dev.keywarm.loader.KeyLoader;
import dev.keywarm.redis.Durations;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.PlanSnapshot;
import dev.keywarm.runner.report.ProgressLine;
import dev.keywarm.schema.KeySchema;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The warm-runner's entry point: takes the fleet lease, restores the agent's hot-set snapshot (if
 * any), reads the plan (or the fallback ranking) from the stats Redis, replays the keys the
 * snapshot did not bring back through the registered loaders into the cache Redis, and reports
 * progress (log lines, JMX, readiness file and endpoint) and a result record. The parts, by
 * package: {@code plan} (what to warm, in which order; the local plan snapshot), {@code restore}
 * (reading the agent's hot-set snapshot), {@code lease} (one warm per fleet), {@code engine} (rate,
 * AIMD concurrency, timeouts, NX writes, the snapshot's restore), {@code loading} (loader
 * registrations, HTTP and copy loaders), {@code report} (progress, readiness, JMX, result record),
 * {@code target} (connections), {@code cli}; one execution is a {@link WarmRun}.
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
  private final Runnable onReady;
  private final Clock clock;

  private WarmRunner(
      WarmSettings settings,
      LoaderTable loaders,
      Consumer<WarmProgress> listener,
      Runnable onReady,
      Clock clock) {
    this.settings = settings;
    this.loaders = loaders;
    this.progressListener = listener;
    this.onReady = onReady;
    this.clock = clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Warms on the calling thread; returns when done. Never throws for Redis or loader trouble: see
   * the status.
   */
  public WarmResult run() {
    return new WarmRun(settings, loaders, progressListener, onReady, clock).execute();
  }

  /**
   * Warms on a new daemon thread ({@code keywarm-warm-<app>}); the handle shows progress and the
   * result.
   */
  public WarmHandle start() {
    WarmRun run = new WarmRun(settings, loaders, progressListener, onReady, clock);
    CompletableFuture<WarmResult> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(run.execute());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            },
            "keywarm-warm-" + settings.app());
    thread.setDaemon(true);
    thread.start();
    return new WarmHandle(result, run::progress, run::cancel);
  }

  /**
   * Starts re-warming on delete with this runner's settings and loaders ({@code rewarm=on-delete}):
   * hand it the keys the application deletes; hot ones are loaded again {@code delay} later.
   */
  public dev.keywarm.runner.rewarm.DeleteRewarm rewarmOnDelete(Duration delay) {
    return new dev.keywarm.runner.rewarm.DeleteRewarm(settings, loaders, clock, delay).start();
  }

  /**
   * Starts the standing warm with this runner's settings, loaders and clock: a long-lived service
   * that runs the techniques {@code standing} switches on while this instance holds the standing
   * lease; close it to stop.
   *
   * @throws IllegalArgumentException when no technique is on
   */
  public dev.keywarm.runner.standing.StandingWarm standingWarm(
      dev.keywarm.runner.standing.StandingSettings standing) {
    return new dev.keywarm.runner.standing.StandingWarm(settings, standing, loaders, clock).start();
  }

  /** The settings this runner warms with. */
  public WarmSettings settings() {
    return settings;
  }

  /**
   * Configures a runner. Defaults ({@link WarmDefaults}) are listed with each setter and in the
   * module README.
   */
  public static final class Builder {

    private String app;
    private String redisUri;
    private String statsUri;
    private int concurrency = WarmDefaults.CONCURRENCY;
    private double ratePerSecond = WarmDefaults.RATE_PER_SECOND;
    private int maxKeys = WarmDefaults.MAX_KEYS;
    private long maxBytes = WarmDefaults.MAX_BYTES;
    private Duration maxTime;
    private Duration callTimeout = Durations.parse(WarmDefaults.CALL_TIMEOUT);
    private Duration defaultTtl = Durations.parse(WarmDefaults.DEFAULT_TTL);
    private double ttlJitter = WarmDefaults.TTL_JITTER;
    private int historyDays = WarmDefaults.HISTORY_DAYS;
    private double minPairLift = WarmDefaults.MIN_PAIR_LIFT;
    private boolean nextHour;
    private double maxErrorRate = WarmDefaults.MAX_ERROR_RATE;
    private int writers = WarmDefaults.WRITERS;
    private int writeBatch = WarmDefaults.WRITE_BATCH;
    private Duration redisTimeout = Durations.parse(WarmDefaults.REDIS_TIMEOUT);
    private Duration redisGiveUpAfter = Durations.parse(WarmDefaults.REDIS_GIVE_UP_AFTER);
    private boolean lease = true;
    private boolean awaitLeader;
    private Duration leaseTtl = Durations.parse(WarmDefaults.LEASE_TTL);
    private String instanceId;
    private double targetCoverage = WarmDefaults.TARGET_COVERAGE;
    private Path readinessFile;
    private Path planSnapshot;
    private boolean planSnapshotSet;
    private int readinessPort = WarmDefaults.READINESS_PORT;
    private Duration progressInterval = Durations.parse(WarmDefaults.PROGRESS_INTERVAL);
    private boolean jmx = true;
    private boolean snapshot = true;
    private boolean serviceLoaders = true;
    private ClassLoader classLoader;
    private Consumer<WarmProgress> progressListener;
    private Runnable onReady;
    private Clock clock = Clock.systemUTC();
    private final LoaderTable loaders = new LoaderTable();

    private Builder() {}

    /** Application name (the hash tag of its stats keys). Required. */
    public Builder app(String app) {
      this.app = app;
      return this;
    }

    /**
     * The cache Redis to warm, {@code redis[s]://[user:password@]host:port[/db]}; a cluster is
     * detected. Required.
     */
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

    /**
     * Registers a loader for the fields of hashes whose key matches a Redis glob (a planned field
     * is matched by its hash's key); the first matching field registration wins.
     */
    public Builder fieldLoader(String keyPattern, FieldLoader loader) {
      loaders.registerFields(keyPattern, loader);
      return this;
    }

    /** Registers a field loader whose values without their own TTL expire after {@code ttl}. */
    public Builder fieldLoader(String keyPattern, FieldLoader loader, Duration ttl) {
      loaders.registerFields(keyPattern, loader, ttl);
      return this;
    }

    /**
     * TTL for values (without their own) of keys matching the pattern, whichever loader made them.
     */
    public Builder ttlFor(String keyPattern, Duration ttl) {
      loaders.ttlFor(keyPattern, ttl);
      return this;
    }

    /**
     * TTL when neither loader nor pattern gives one; default 1 h; {@code null} or zero: no expiry.
     */
    public Builder defaultTtl(Duration ttl) {
      this.defaultTtl = ttl == null || ttl.isZero() ? null : ttl;
      return this;
    }

    /**
     * Spreads the expiries of loaded values: each TTL is drawn uniformly from [(1 − jitter)·T, T],
     * so a warm never schedules its own second herd; 0 keeps every TTL exact. Restored and copied
     * values keep their exact remaining TTL (they were spread by the application already). Default
     * 0.2.
     */
    public Builder ttlJitter(double jitter) {
      this.ttlJitter = jitter;
      return this;
    }

    /**
     * Also register {@code KeyLoaderProvider}s found by ServiceLoader (after the others); default
     * true.
     */
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

    /**
     * Most keys planned (primary + next hour; correlated keys at most as many again); default 100
     * 000.
     */
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

    /**
     * A loader call (one key or one batch) slower than this is counted as timed out; default 2 s.
     */
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

    /**
     * How long an unreachable Redis is retried (with back-off) before the run fails; default 30 s.
     */
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
     * When another instance holds the lease: wait until it is released (or expires), then report
     * the leader's result record as this run's ({@link WarmStatus#FOLLOWED_LEADER}), so that
     * readiness gates every instance of the fleet, not only the one that warms; default false
     * (return at once, {@link WarmStatus#LEASE_HELD}). Bounded by {@code maxTime} when set.
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

    /** Replaces the default progress log line ({@link ProgressLine}). */
    /**
     * Runs once, the first time the warm is ready — its coverage target ({@link #targetCoverage})
     * reached, or its end, whatever the status — on the thread that noticed (keep it short).
     */
    public Builder onReady(Runnable listener) {
      this.onReady = listener;
      return this;
    }

    public Builder progressListener(Consumer<WarmProgress> listener) {
      this.progressListener = listener;
      return this;
    }

    /** Register the MXBean {@code dev.keywarm:type=WarmRunner,app=<app>}; default true. */
    public Builder jmx(boolean enabled) {
      this.jmx = enabled;
      return this;
    }

    /**
     * First restore the hot-set snapshot the agent keeps in the stats Redis ({@code
     * KeySchema.snapshotValues()}): values read from the cache before it went cold, put back with
     * {@code RESTORE} (never over a key that exists), hottest first, before the plan is read and
     * the loaders run; keys restored are not loaded again. Default true.
     */
    public Builder snapshot(boolean enabled) {
      this.snapshot = enabled;
      return this;
    }

    /**
     * The clock that picks the hour of day (tests). The snapshot's times are wall-clock times of
     * the hosts that wrote them, so its restore always uses the system clock.
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public WarmRunner build() {
      KeySchema.forApp(app); // validates the name
      Objects.requireNonNull(redisUri, "redis URI");
      if (concurrency < 1 || writers < 1 || writeBatch < 1 || maxKeys < 1 || historyDays < 1) {
        throw new IllegalArgumentException(
            "concurrency, writers, batch, maxKeys, historyDays must be >= 1");
      }
      if (ttlJitter < 0 || ttlJitter >= 1) {
        throw new IllegalArgumentException(
            "TTL jitter must be at least 0 and below 1: " + ttlJitter);
      }
      if (ratePerSecond < 0 || maxErrorRate < 0 || targetCoverage < 0 || targetCoverage > 1) {
        throw new IllegalArgumentException("rate, error rate must be >= 0; target coverage 0..1");
      }
      if (serviceLoaders) {
        loaders.registerServiceProviders(
            classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader());
      }
      String instance =
          instanceId != null
              ? instanceId
              : ManagementFactory.getRuntimeMXBean().getName()
                  + "-"
                  + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
      WarmSettings settings =
          new WarmSettings(
              app,
              redisUri,
              statsUri == null ? redisUri : statsUri,
              concurrency,
              ratePerSecond,
              maxKeys,
              maxBytes,
              maxTime,
              callTimeout,
              defaultTtl,
              historyDays,
              minPairLift,
              nextHour,
              maxErrorRate,
              writers,
              writeBatch,
              redisTimeout,
              redisGiveUpAfter,
              lease,
              awaitLeader,
              leaseTtl,
              instance,
              targetCoverage,
              readinessFile,
              planSnapshotSet ? planSnapshot : PlanSnapshot.defaultFile(app),
              readinessPort,
              progressInterval,
              jmx,
              snapshot,
              ttlJitter);
      Consumer<WarmProgress> listener =
          progressListener != null ? progressListener : p -> WarmLog.info(ProgressLine.of(app, p));
      return new WarmRunner(settings, loaders, listener, onReady, clock);
    }
  }
}
