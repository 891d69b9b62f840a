package dev.keywarm.runner;

import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.runner.engine.SnapshotRestore;
import dev.keywarm.runner.engine.WarmCounters;
import dev.keywarm.runner.engine.WarmEngine;
import dev.keywarm.runner.lease.FleetLease;
import dev.keywarm.runner.lease.LeaderWait;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.ObservedTtls;
import dev.keywarm.runner.plan.PlanOptions;
import dev.keywarm.runner.plan.PlanResolver;
import dev.keywarm.runner.plan.WarmOrder;
import dev.keywarm.runner.report.ProgressReporter;
import dev.keywarm.runner.report.Readiness;
import dev.keywarm.runner.report.ResultRecord;
import dev.keywarm.runner.report.WarmRunnerMetrics;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.runner.target.RedisUnavailableException;
import dev.keywarm.schema.KeySchema;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One execution of a {@link WarmRunner}: connects, takes the fleet lease (or follows the leader),
 * restores the hot-set snapshot ({@link SnapshotRestore}), resolves the plan, runs the {@link
 * WarmEngine} on what the snapshot did not bring back, and reports — progress to the listener, JMX
 * and readiness, the result to the stats Redis and the log — all from one {@link WarmProgress}
 * snapshot. Every ending, even an unexpected one, goes through the same cleanup and gives a result.
 */
final class WarmRun {

  private final WarmSettings settings;
  private final LoaderTable loaders;
  private final Consumer<WarmProgress> listener;
  private final Clock clock;
  private final KeySchema schema;
  private final WarmCounters counters = new WarmCounters();
  private final long startNanos = System.nanoTime();
  private volatile WarmEngine engine;
  private volatile String state = "planning";
  private volatile boolean cancelled;

  /** The leader's result record, once this instance has waited for it. */
  private volatile Map<String, String> leaderRecord;

  private final Runnable onReady;

  WarmRun(
      WarmSettings settings,
      LoaderTable loaders,
      Consumer<WarmProgress> listener,
      Runnable onReady,
      Clock clock) {
    this.settings = settings;
    this.onReady = onReady;
    this.loaders = loaders;
    this.listener = listener;
    this.clock = clock;
    this.schema = KeySchema.forApp(settings.app());
  }

  WarmProgress progress() {
    WarmEngine e = engine;
    return counters.snapshot(
        state,
        e == null ? WarmCounters.Concurrency.unchanged(settings.concurrency()) : e.concurrency(),
        elapsed());
  }

  void cancel() {
    cancelled = true;
    WarmEngine e = engine;
    if (e != null) {
      e.cancel();
    }
  }

  WarmResult execute() {
    if (settings.jmx()) { // before readiness: a probe that sees the file finds the bean too
      WarmRunnerMetrics.register(settings.app(), this::progress);
    }
    Readiness readiness =
        new Readiness(settings.app(), settings.readinessFile(), settings.readinessPort(), onReady);
    readiness.update(false, "running", progress());
    RedisTarget stats = null;
    RedisTarget target = null;
    WarmStatus status;
    String error = null;
    String planSource = "none";
    try (ProgressReporter reporter =
        new ProgressReporter(
            settings.app(),
            settings.progressInterval(),
            this::progress,
            listener,
            readiness,
            settings.targetCoverage())) {
      target =
          RedisTarget.connect(
              settings.redisUri(), settings.redisTimeout(), settings.redisGiveUpAfter());
      stats =
          settings.statsUri().equals(settings.redisUri())
              ? target
              : RedisTarget.connect(
                  settings.statsUri(), settings.redisTimeout(), settings.redisGiveUpAfter());
      try (FleetLease lease = settings.lease() ? takeLease(stats) : null) {
        SnapshotRestore.Outcome restored =
            settings.snapshot() ? restore(stats, target) : SnapshotRestore.Outcome.NONE;
        if (loaders.isEmpty()) {
          WarmLog.warn(
              restored.found()
                  ? "no loaders registered: only the snapshot can warm; planned keys it did not"
                      + " restore count as no-loader"
                  : "no loaders registered: every planned key will count as no-loader");
        }
        if (cancelled) { // during the restore: the plan is not worth resolving
          status = WarmStatus.CANCELLED;
        } else {
          WarmOrder order =
              new PlanResolver(
                      stats.client(),
                      schema,
                      new PlanOptions(
                          settings.maxKeys(),
                          settings.historyDays(),
                          settings.minPairLift(),
                          settings.nextHour()),
                      settings.planSnapshot())
                  .resolve(clock.instant());
          planSource = order.source();
          status = warm(target, order, restored, observedTtls(stats, order).or(order.planTtls()));
          if (status == WarmStatus.COMPLETED && restored.budgetReached()) {
            status = WarmStatus.BUDGET_REACHED;
          }
          error = engine.abortReason();
        }
      }
    } catch (LeaseHeld ex) {
      status = leaderRecord != null ? WarmStatus.FOLLOWED_LEADER : WarmStatus.LEASE_HELD;
      planSource = "lease";
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
    }
    try {
      return finish(stats, readiness, status, planSource, error);
    } finally {
      if (stats != null && stats != target) {
        stats.close();
      }
      if (target != null) {
        target.close();
      }
    }
  }

  /** The lease, renewed while warming; or, if another instance holds it, {@link LeaseHeld}. */
  private FleetLease takeLease(RedisTarget stats) throws InterruptedException {
    FleetLease lease =
        FleetLease.tryAcquire(
            stats.client(),
            schema.warmLease(),
            settings.instanceId(),
            settings.leaseTtl().toMillis());
    if (lease != null) {
      return lease;
    }
    String holder = FleetLease.holder(stats.client(), schema.warmLease());
    WarmLog.info(
        "instance "
            + holder
            + " holds the warm lease for "
            + settings.app()
            + "; this instance does not warm"
            + (settings.awaitLeader() ? " and waits for it" : ""));
    if (settings.awaitLeader()) {
      state = "warming";
      long deadline =
          settings.maxTime() == null ? Long.MAX_VALUE : startNanos + settings.maxTime().toNanos();
      leaderRecord =
          LeaderWait.await(
              stats.client(),
              schema,
              settings.leaseTtl(),
              () -> cancelled || System.nanoTime() > deadline);
    }
    throw new LeaseHeld("lease held by " + holder);
  }

  /**
   * Restores the hot-set snapshot, if there is one, before the plan is read (the plan can take long
   * to resolve; the snapshot needs nothing but itself).
   */
  private SnapshotRestore.Outcome restore(RedisTarget stats, RedisTarget target)
      throws InterruptedException {
    state = "warming";
    SnapshotRestore.Outcome outcome =
        new SnapshotRestore(settings, stats, target, counters, schema, startNanos, () -> cancelled)
            .run();
    if (outcome.found()) {
      WarmLog.info(outcome.summary());
    } else {
      state = "planning";
    }
    return outcome;
  }

  /**
   * The TTL the application gave each key the warm may load, from the agent's hourly {@code ttl}
   * sets (the last day): what a loaded value gets when its loader names none, before the plan's own
   * TTL (which may be a pattern's, and is as old as the plan). Only with loaders (a warm without
   * any loads nothing); a stats Redis that fails here leaves them to the configured TTLs.
   */
  private ObservedTtls observedTtls(RedisTarget stats, WarmOrder order) {
    if (loaders.isEmpty() || order.isEmpty()) {
      return ObservedTtls.none();
    }
    List<byte[]> keys = new ArrayList<>(order.primary().size() + order.nextHour().size());
    order.primary().forEach(entry -> keys.add(entry.key()));
    order.nextHour().forEach(entry -> keys.add(entry.key()));
    try {
      ObservedTtls ttls =
          ObservedTtls.lookUp(stats.client(), schema, keys, clock.instant(), OBSERVED_TTL_HOURS);
      WarmLog.info(
          "observed TTLs: "
              + ttls.size()
              + " of "
              + keys.size()
              + " planned keys were written by the application in the last "
              + OBSERVED_TTL_HOURS
              + " h; they get its TTL (with jitter), the rest the plan's ("
              + order.planTtls().size()
              + " keys), else the configured one");
      return ttls;
    } catch (JedisException e) {
      WarmLog.warn(
          "could not read the observed TTLs (" + e.getMessage() + "): configured TTLs apply");
      return ObservedTtls.none();
    }
  }

  /** How far back the observed TTLs are looked up. */
  private static final int OBSERVED_TTL_HOURS = 24;

  private WarmStatus warm(
      RedisTarget target, WarmOrder order, SnapshotRestore.Outcome restored, ObservedTtls observed)
      throws InterruptedException {
    WarmLog.info(
        String.format(
            Locale.ROOT,
            "warming %s into %s from %s: %d keys (+%d next hour), %d correlated pairs, %d loaders,"
                + " concurrency %d, %s/s",
            settings.app(),
            target,
            order.source(),
            order.primary().size(),
            order.nextHour().size(),
            order.pairs().size(),
            loaders.entries().size(),
            settings.concurrency(),
            settings.ratePerSecond() == 0
                ? "unlimited"
                : String.valueOf((long) settings.ratePerSecond())));
    if (order.isEmpty()) {
      WarmLog.warn(
          "the plan for "
              + settings.app()
              + " is empty: is the agent recording with app="
              + settings.app()
              + " into "
              + RedisEndpoint.redact(settings.statsUri())
              + "?");
    }
    state = "warming";
    WarmEngine e =
        new WarmEngine(
            settings,
            loaders,
            target,
            counters,
            order.pairs().size() > 0,
            startNanos,
            restored.present(),
            observed);
    engine = e;
    if (cancelled) {
      e.cancel();
    }
    return e.run(order);
  }

  private WarmResult finish(
      RedisTarget stats, Readiness readiness, WarmStatus status, String planSource, String error) {
    state = "done";
    WarmResult result =
        status == WarmStatus.FOLLOWED_LEADER
            ? LeaderWait.followed(
                leaderRecord, settings.app(), settings.instanceId(), elapsed(), clock.instant())
            : new WarmResult(
                settings.app(),
                settings.instanceId(),
                status,
                planSource,
                progress(),
                clock.instant(),
                error);
    if (stats != null && status != WarmStatus.LEASE_HELD && status != WarmStatus.FOLLOWED_LEADER) {
      try {
        stats.client().hset(schema.warmLastResult(), ResultRecord.fields(result));
      } catch (JedisException e) {
        WarmLog.warn("could not store the result record: " + e.getMessage());
      }
    }
    readiness.update(true, result.status().field(), result.progress());
    readiness.end();
    if (status.finishedPlan()
        || status == WarmStatus.LEASE_HELD
        || status == WarmStatus.FOLLOWED_LEADER) {
      WarmLog.info(result.summary());
    } else {
      WarmLog.warn(result.summary());
    }
    return result;
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Another instance warms for the fleet: ends this run early, through the normal cleanup. */
  private static final class LeaseHeld extends RuntimeException {
    LeaseHeld(String message) {
      super(message, null, false, false);
    }
  }
}
