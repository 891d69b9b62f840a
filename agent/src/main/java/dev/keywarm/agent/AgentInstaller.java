package dev.keywarm.agent;

import dev.keywarm.agent.config.AgentOptions;
import dev.keywarm.agent.config.InvalidOptionException;
import dev.keywarm.agent.config.WarmMode;
import dev.keywarm.agent.flush.HotTailSplit;
import dev.keywarm.agent.flush.StatsFlusher;
import dev.keywarm.agent.flush.StatsTarget;
import dev.keywarm.agent.instrumentation.HookInstaller;
import dev.keywarm.agent.jmx.KeywarmAgentMetrics;
import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.metrics.MeterCatalog;
import dev.keywarm.agent.metrics.MetersUpdater;
import dev.keywarm.agent.metrics.MicrometerBridge;
import dev.keywarm.agent.metrics.OtlpExporter;
import dev.keywarm.agent.metrics.OtlpJson;
import dev.keywarm.agent.metrics.PatternMeters;
import dev.keywarm.agent.metrics.PrometheusEndpoint;
import dev.keywarm.agent.metrics.PrometheusText;
import dev.keywarm.agent.recording.InvalidationLog;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.TailTable;
import dev.keywarm.agent.recording.WindowAggregator;
import dev.keywarm.agent.snapshot.SnapshotKeeper;
import dev.keywarm.agent.warm.ReadinessGate;
import dev.keywarm.agent.warm.RestartDetector;
import dev.keywarm.agent.warm.RewarmOnDelete;
import dev.keywarm.agent.warm.StandingWarmStart;
import dev.keywarm.agent.warm.WarmLauncher;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.KeySchema;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Wires the agent together: options, recorder, aggregator and flusher threads, JMX, the shutdown
 * flush, then the hooks. Loaded by the bootstrap class loader (see {@link KeywarmAgent}) so that
 * hooks inlined into any class loader's Jedis can reach the recorder.
 *
 * <p>Whatever happens here, the application starts: bad options, a failed install or an internal
 * error each print one line and leave the JVM as it was.
 */
public final class AgentInstaller {

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** Let the application configure JMX and logging first (see {@link KeywarmAgentMetrics}). */
  private static final long JMX_DELAY_MILLIS = 5_000;

  private static final String SHADED_BYTE_BUDDY_SAFE = "dev.keywarm.shaded.bytebuddy.safe";

  private AgentInstaller() {}

  /**
   * {@code warm=on-start}: once the application first connects to Redis (its cache matters from
   * then on, and its class loader — where its loaders live — is known), a background warm. {@code
   * warm=on-restart}: a {@link RestartDetector} on the cache Redis, and a warm when it comes back
   * cold.
   */
  private static void startWarmTriggers(
      AgentOptions options, WarmLauncher launcher, Recorder recorder) {
    if (options.warm() == WarmMode.OFF) {
      return;
    }
    Supplier<RedisEndpoint> cache = cacheRedis(options);
    if (options.warm().onStart()) {
      if (options.readinessGate() && options.cache() != null) {
        // the cache is known: the warm starts with the JVM, so readiness waits from the start
        ReadinessGate.close(options.readinessTimeout().toMillis());
      }
      Thread onStart =
          new Thread(
              () -> {
                try {
                  while (cache.get() == null
                      || (options.cache() != null
                          && StatsTarget.discovered() == null
                          && !waitedLongEnough(ON_START_LOADER_WAIT_MILLIS))) {
                    Thread.sleep(100);
                  }
                  if (options.readinessGate() && options.cache() == null) {
                    ReadinessGate.close(options.readinessTimeout().toMillis());
                  }
                  launcher.warm(
                      "JVM start",
                      cache.get(),
                      StatsTarget.applicationLoader(),
                      options.readinessGate()
                          ? () -> ReadinessGate.open("the start warm is ready")
                          : null);
                } catch (InterruptedException ignored) {
                  // the JVM is exiting
                }
              },
              "keywarm-warm-on-start");
      onStart.setDaemon(true);
      onStart.start();
    }
    if (options.warm().onRestart()) {
      RestartDetector detector =
          new RestartDetector(
              cache,
              options.restartCheck().toMillis(),
              (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis()),
              reason ->
                  launcher.warm(
                      "cache Redis " + reason.name().toLowerCase(java.util.Locale.ROOT),
                      cache.get(),
                      StatsTarget.applicationLoader()));
      recorder.onFailure(detector::cue); // the application's own failed commands: check now
      detector.start();
      launcher.prepareInBackground(cache); // a restart may come at any time: be ready for it
    }
  }

  /**
   * {@code rewarm=on-delete}: hooks record deletes, the aggregator hands them to a {@link
   * RewarmOnDelete}, which starts the runner's re-warmer once the application has connected (its
   * class loader holds the loaders).
   */
  private static void startRewarmOnDelete(
      AgentOptions options, WarmLauncher launcher, Recorder recorder, WindowAggregator aggregator) {
    if (!options.rewarmOnDelete()) {
      return;
    }
    RewarmOnDelete rewarm = new RewarmOnDelete();
    recorder.recordDeletes(true);
    aggregator.deletionsTo(rewarm);
    rewarm.startWhenReady(
        launcher,
        cacheRedis(options),
        () -> StatsTarget.discovered() != null ? StatsTarget.applicationLoader() : null,
        options.rewarmDelay().toMillis());
  }

  /**
   * {@code standing=…}: the runner's standing warm, started once the application has connected (its
   * class loader holds the loaders); null when off.
   */
  private static StandingWarmStart startStanding(AgentOptions options, WarmLauncher launcher) {
    if (options.standing().isEmpty()) {
      return null;
    }
    StandingWarmStart standing = new StandingWarmStart();
    standing.startWhenReady(
        launcher,
        cacheRedis(options),
        () -> StatsTarget.discovered() != null ? StatsTarget.applicationLoader() : null,
        options.standing());
    return standing;
  }

  /**
   * The cache meters per key pattern ({@code micrometer}, {@code prometheus}): a {@link
   * MetersUpdater} fed with every window (deletes counted per key in it), read by the Micrometer
   * bridge and the built-in endpoint. Null when both are off. With only {@code micrometer=auto} and
   * an application without Micrometer, the updater stops once that is known.
   */
  private static MetersUpdater startMeters(
      AgentOptions options,
      Recorder recorder,
      WindowAggregator aggregator,
      KeywarmAgentMetrics agentMetrics,
      StandingWarmStart standing) {
    boolean prometheus = options.prometheusPort() >= 0;
    boolean otlp = options.otlpEndpoint() != null;
    if (!options.micrometer() && !prometheus && !otlp) {
      return null;
    }
    PatternMeters patterns = new PatternMeters(options.metricPatterns());
    MetersUpdater updater = new MetersUpdater(patterns);
    MeterCatalog catalog =
        new MeterCatalog(
            options.app(),
            patterns,
            agentMetrics,
            updater,
            standing == null ? null : standing::counters);
    recorder.recordDeletes(true);
    aggregator.countRemovals(true);
    if (prometheus) {
      PrometheusEndpoint.start(
          options.prometheusHost(),
          options.prometheusPort(),
          () -> PrometheusText.render(catalog.meters()));
    }
    if (otlp) {
      long start = System.currentTimeMillis() * 1_000_000L;
      OtlpExporter.start(
          options.otlpEndpoint(),
          options.otlpInterval().toMillis(),
          () ->
              OtlpJson.render(
                  options.app(), catalog.meters(), start, System.currentTimeMillis() * 1_000_000L));
    }
    if (options.micrometer()) {
      MicrometerBridge bridge =
          new MicrometerBridge(
              catalog,
              () -> StatsTarget.discovered() != null ? StatsTarget.applicationLoader() : null);
      updater.afterWindow(
          () -> {
            bridge.update();
            if (bridge.isOff() && !prometheus && !otlp) {
              updater.retire(); // nobody reads the meters: record no deletes for them either
              aggregator.countRemovals(false);
              if (!options.rewarmOnDelete()) {
                recorder.recordDeletes(false);
              }
            }
          });
    }
    updater.start();
    return updater;
  }

  /** The cache Redis: the configured one, else the first the application connects to. */
  private static Supplier<RedisEndpoint> cacheRedis(AgentOptions options) {
    return () -> options.cache() != null ? options.cache() : StatsTarget.discovered();
  }

  /**
   * The hot-set snapshot, when the options allow one ({@link AgentOptions#snapshot()}): hooks
   * record invalidations, the aggregator hands them to the log, and a {@link SnapshotKeeper}
   * publishes them and (on one instance of the app) keeps the values. Null when off; a snapshot
   * asked for but impossible says why, once.
   */
  private static SnapshotKeeper startSnapshot(
      AgentOptions options, KeySchema schema, Recorder recorder, WindowAggregator aggregator) {
    if (!options.snapshot()) {
      String refusal = options.snapshotRefusal();
      if (refusal != null && (options.snapshotRequested() || options.warm().onRestart())) {
        AgentLog.info(
            "no hot-set snapshot ("
                + refusal
                + "): a warm after a restart needs loaders (warmargs or a KeyLoaderProvider)");
      }
      return null;
    }
    InvalidationLog invalidations =
        new InvalidationLog(INVALIDATION_LOG_KEYS, INVALIDATION_LOG_BYTES);
    recorder.recordInvalidations(true);
    aggregator.invalidationsTo(invalidations);
    SnapshotKeeper keeper =
        new SnapshotKeeper(
            schema,
            cacheRedis(options),
            options.redis(),
            recorder,
            invalidations,
            instanceId(),
            (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis()),
            options.snapshotKeys(),
            options.snapshotBytes(),
            options.snapshotValueBytes(),
            options.snapshotRate(),
            options.snapshotNoTtl(),
            System::currentTimeMillis);
    keeper.start();
    return keeper;
  }

  /** Keys (and key bytes) of writes and deletes held between two publishes, 100 ms apart. */
  private static final int INVALIDATION_LOG_KEYS = 65_536;

  private static final long INVALIDATION_LOG_BYTES = 8L << 20;

  /** This JVM in leases: pid, host and a random part (two JVMs in one container differ). */
  private static String instanceId() {
    String host = System.getenv("HOSTNAME");
    return ProcessHandle.current().pid()
        + "@"
        + (host == null || host.isBlank() ? "host" : host)
        + "-"
        + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 24));
  }

  /**
   * The JVM exits: one budget for all of it. The aggregator drains and seals its last window (it
   * needs little of the budget: it never waits on the network), whatever application threads still
   * record after that is counted as lost, the tail accumulated since its last write goes to the
   * flusher, and the flusher writes the rest at pipelined speed until the budget ends, then counts
   * what it could not write.
   */
  private static void shutdown(
      java.time.Duration budget,
      Recorder recorder,
      WindowAggregator aggregator,
      HotTailSplit split,
      StatsFlusher flusher) {
    try {
      long deadline = System.nanoTime() + budget.toNanos();
      boolean stopped = aggregator.stop(budget.toMillis() / 2);
      split.drainTail(); // after the last window (waits for one being split), before the flush
      if (stopped) {
        dev.keywarm.agent.recording.WindowTotals late = recorder.discardRemaining();
        if (!late.isZero()) {
          flusher.submit(
              dev.keywarm.agent.recording.WindowSnapshot.totalsOnly(
                  dev.keywarm.schema.HourBucket.ofEpochMillis(System.currentTimeMillis()), late));
        }
      }
      flusher.flushOnExit(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (Throwable t) {
      AgentLog.warn("final flush failed: " + t);
    }
  }

  /** Last invalidations out, the lease given back: bounded, after the stats flush. */
  private static void stopSnapshot(SnapshotKeeper keeper) {
    if (keeper != null) {
      try {
        keeper.stop(500);
      } catch (Throwable t) {
        // the JVM exits either way
      }
    }
  }

  private static final long STARTED_AT = System.currentTimeMillis();

  /** With a configured cache, wait this long for the application's class loader to show itself. */
  private static final long ON_START_LOADER_WAIT_MILLIS = 10_000;

  /** How long the exit waits, after the final flush, for the standing warm to release its lease. */
  private static final long STANDING_STOP_WAIT_MILLIS = 1_000;

  private static boolean waitedLongEnough(long millis) {
    return System.currentTimeMillis() - STARTED_AT > millis;
  }

  /** Entry point, called reflectively by {@link KeywarmAgent}. Never throws. */
  public static void install(String agentArgs, Instrumentation instrumentation, File agentJar) {
    AgentOptions options;
    try {
      options = AgentOptions.fromEnvironment(agentArgs);
    } catch (InvalidOptionException e) {
      AgentLog.error(e.getMessage() + " — keywarm is disabled; the application runs unrecorded");
      return;
    }
    try {
      AgentLog.setThreshold(options.logLevel());
      if (!options.recording()) {
        AgentLog.info("recording=off: no hooks installed");
        return;
      }
      if (!INSTALLED.compareAndSet(false, true)) {
        AgentLog.warn("keywarm is already installed in this JVM; ignoring the second start");
        return;
      }
      start(options, instrumentation, agentJar);
    } catch (Throwable t) {
      AgentLog.error(
          "could not start ("
              + t
              + ") — keywarm is disabled; the application runs "
              + "unrecorded");
    }
  }

  private static void start(AgentOptions options, Instrumentation instrumentation, File agentJar)
      throws Exception {
    KeySchema schema = KeySchema.forApp(options.app());
    StatsTarget.statsConfigured(options.redis() != null);
    Recorder recorder =
        new Recorder(
            Recorder.defaultStripes(), options.bufferSlots(), options.loadWindow().toNanos());
    int backlog = options.backlogEntries();
    if (backlog < options.maxKeys()) {
      // a window may hold maxkeys keys; a smaller backlog would cut every full window
      AgentLog.warn(
          "backlog="
              + backlog
              + " is below maxkeys="
              + options.maxKeys()
              + ": the backlog keeps one whole window, "
              + options.maxKeys()
              + " key entries");
      backlog = options.maxKeys();
    }
    StatsFlusher flusher =
        new StatsFlusher(
            schema,
            options.retention(),
            options.redis(),
            options.timeout(),
            backlog,
            options.keyBytes(),
            options.flushInterval(),
            options.hourKeys(),
            options.hourPairs(),
            options.shards());
    KeywarmAgentMetrics[] metrics = new KeywarmAgentMetrics[1];
    SnapshotKeeper[] snapshots = new SnapshotKeeper[1];
    MetersUpdater[] meters = new MetersUpdater[1];
    // the flusher sees each window's hot keys at once and the merged tail every tailflush; the
    // meters and the snapshot keeper keep seeing whole windows
    HotTailSplit split =
        new HotTailSplit(
            options.hotKeys(),
            options.tailFlush().toMillis(),
            // twice a window's pairs: a tail written every window or two keeps them all; over a
            // long tailflush the strongest are kept (a pair ranks, it is no tally)
            new TailTable(options.maxKeys(), options.keyBytes(), 2 * options.maxPairs()),
            flusher::submit,
            System::currentTimeMillis);
    WindowAggregator aggregator =
        new WindowAggregator(
            recorder,
            options.maxKeys(),
            options.keyBytes(),
            options.flushInterval().toNanos(),
            options.pairKeys(),
            options.pairTime().toMillis(),
            options.maxPairs(),
            options.keyPrivacy(),
            snapshot -> {
              metrics[0].summaryDropped(snapshot.totals().droppedEvents());
              split.accept(snapshot);
              MetersUpdater meterUpdater = meters[0];
              if (meterUpdater != null) {
                meterUpdater.offer(snapshot);
              }
              SnapshotKeeper keeper = snapshots[0];
              if (keeper != null) {
                keeper.offer(snapshot);
              }
            },
            System::currentTimeMillis);
    aggregator.afterEverySeal(split::tick);
    metrics[0] = new KeywarmAgentMetrics(options.app(), recorder, aggregator, flusher);

    snapshots[0] = startSnapshot(options, schema, recorder, aggregator);
    // one runner class loader for warms and re-warms
    WarmLauncher launcher =
        options.warm() != WarmMode.OFF || options.rewarmOnDelete() || !options.standing().isEmpty()
            ? new WarmLauncher(agentJar, options.app(), options.redis(), options.warmArgs())
            : null;
    startRewarmOnDelete(options, launcher, recorder, aggregator);
    StandingWarmStart standing = startStanding(options, launcher);
    meters[0] = startMeters(options, recorder, aggregator, metrics[0], standing);
    metrics[0].snapshot(snapshots[0]);
    flusher.start();
    aggregator.start();
    Thread jmx =
        new Thread(
            () -> {
              try {
                Thread.sleep(JMX_DELAY_MILLIS);
                metrics[0].register();
              } catch (InterruptedException ignored) {
                // the JVM is exiting
              }
            },
            "keywarm-jmx");
    jmx.setDaemon(true);
    jmx.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // beside the final flush, never before it: its close (threads, the lease's
                  // release) must not eat the flush's budget; an unreleased lease expires by itself
                  Thread standingStop = standing == null ? null : standing.stopInBackground();
                  shutdown(options.shutdownFlush(), recorder, aggregator, split, flusher);
                  stopSnapshot(snapshots[0]);
                  if (standingStop != null) {
                    try {
                      standingStop.join(STANDING_STOP_WAIT_MILLIS);
                    } catch (InterruptedException ignored) {
                      // exiting anyway
                    }
                  }
                },
                "keywarm-shutdown"));

    startWarmTriggers(options, launcher, recorder);
    recorder.activate();
    // Advice is inlined and no class is ever injected, so Byte Buddy never needs sun.misc.Unsafe;
    // its "safe" mode keeps it from probing Unsafe (which JDK 24+ warns about on every start). The
    // property name is relocated along with Byte Buddy, so it is ours alone.
    if (System.getProperty(SHADED_BYTE_BUDDY_SAFE) == null) {
      System.setProperty(SHADED_BYTE_BUDDY_SAFE, "true");
    }
    HookInstaller.install(instrumentation, agentJar);
    AgentLog.info("recording " + options);
  }
}
