package dev.keywarm.runner.standing;

import dev.keywarm.redis.Durations;
import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.WarmSettings;
import dev.keywarm.runner.lease.FleetLease;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.runner.plan.WarmOrder;
import dev.keywarm.runner.report.StandingTechniqueStats;
import dev.keywarm.runner.report.StandingWarmMXBean;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.runner.target.RedisUnavailableException;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.management.ObjectName;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The standing warm: a long-lived service that keeps the hot set in the cache between the bursts (a
 * warm on start, after a restart, from the CLI), off unless techniques are switched on — {@link
 * NextHourWarm next-hour}, {@link RefreshAhead refresh-ahead}, {@link LazyWarm lazy}, {@link
 * ScheduledWarm scheduled}, each in its own class.
 *
 * <p>One per app across the fleet: a lease in the stats Redis, {@code standingLease()}, taken if
 * free or renewed if this instance's by one script ({@code LeaseScripts.ACQUIRE_OR_RENEW}, one
 * round trip), with the TTL {@code standinglease}, every 1/4 to 1/3 of it (jittered, so a fleet
 * started together does not send its tries together) by a thread of its own on a stats connection
 * of its own, which no failure of the work closes; released by compare-and-{@code DEL} on {@link
 * #close}. Each instance sends one script per period, so 500 instances cost the stats Redis about
 * 57 commands a second with the default 30 s (500 / 8.75 s), and only the holder refreshes
 * anything. The holder acts only before a local deadline, {@code start of the last successful
 * renewal + TTL − TTL/4} on the monotonic clock, which the scheduler checks before each round and
 * each load and write: a renewal that fails (the stats Redis does not answer) leaves the deadline
 * where it was, so work goes on while it is certain the lease is still this instance's and pauses
 * at the deadline — a quarter of the TTL before the lease can expire in Redis and another instance
 * take it — until a renewal succeeds. Only a renewal that sees another holder stops the techniques
 * and drops what they queued; a new holder starts each technique afresh. After a failed round the
 * scheduler renews before it resumes. {@code standinglease} is at least 3 s and 3 × the Redis
 * timeout.
 *
 * <p>One scheduler thread ({@code keywarm-standing-<app>}) does all the work: it reads the current
 * plan every {@value #PLAN_REFRESH_MINUTES} min and at each UTC hour (as the re-warm on delete
 * does, without the plan snapshot), asks each technique whether work is due, and then works through
 * the queued keys in turn — one key of each technique with work, in the order refresh-ahead
 * (expiring now), lazy (missed now), next-hour, scheduled — for at most a second before asking
 * again, so a long next-hour round never delays a refresh by more than that. Every load goes
 * through the application's loader ({@link KeyLoads}: batched up to the loader's {@code
 * batchSize()}, the shared {@code standingrate} per call, the warm's call timeout, at most {@value
 * KeyLoads#LOAD_THREADS} load threads), every TTL is the warm's choice ({@code TtlChoice}), every
 * write is {@code NX} except refresh-ahead's compare-and-set. The hour-of-day logic (next-hour's
 * lead, lazy's hour) follows the injected {@link Clock}; intervals follow the monotonic clock.
 *
 * <p>Reports: one line a minute with each active technique's counts, keys/s and coverage gained;
 * the MXBean {@code dev.keywarm:type=StandingWarm,app=<app>}; and {@link #get()}, the same counters
 * by name for the agent's meters. A Redis outage or a bug costs the round: the connections of the
 * work (never the lease's) are closed, and the thread renews the lease and retries after a back-off
 * (1 s doubling to 30 s) with what was queued; an exception inside one technique costs only that
 * technique its queue. An instance that does not hold the lease keeps no connection to the cache
 * Redis.
 */
public final class StandingWarm
    implements AutoCloseable, Supplier<Map<String, Number>>, StandingWarmMXBean {

  static final int PLAN_REFRESH_MINUTES = 5;

  /** How long the scheduler idles when nothing is queued: the resolution of every due time. */
  static final long TICK_MILLIS = 100;

  /** The longest it works through queued keys before it asks the techniques again. */
  static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final long REPORT_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** The service that registered each MBean name, so a close unregisters only its own. */
  private static final Map<ObjectName, StandingWarm> MBEANS = new ConcurrentHashMap<>();

  private final WarmSettings warm;
  private final StandingSettings standing;
  private final Clock clock;
  private final KeySchema schema;
  private final KeyLoads loads;
  private final StandingContext context;
  private final Map<StandingTechnique, Technique> techniques =
      new EnumMap<>(StandingTechnique.class);
  private final List<Technique> inTurn = new ArrayList<>();
  private final Thread thread;
  private final ScheduledExecutorService leaseRenewer;
  private final AtomicLong failedRounds = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object closeLock = new Object();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final long leaseTtlNanos;
  private final long leaseMarginNanos;

  // the lease thread's
  private volatile RedisTarget leaseStats;
  private volatile boolean held;
  private volatile long heldUntilNanos;
  private volatile boolean otherSeen;
  private long leaseWarnedNanos;
  private boolean leaseWarned;

  // the scheduler thread's
  private volatile RedisTarget cache;
  private volatile RedisTarget stats;
  private boolean working;
  private boolean paused;
  private boolean fresh = true;
  private long planReadNanos;
  private long planHour = Long.MIN_VALUE;
  private boolean planIsFallback;
  private long reportedNanos = System.nanoTime();
  private ObjectName jmxName;

  /**
   * @throws IllegalArgumentException when no technique is on, {@code standinglease} is below 3 ×
   *     the Redis timeout, or (with lazy) {@code lazyclaim} is not above the call timeout
   */
  public StandingWarm(
      WarmSettings warm, StandingSettings standing, LoaderTable loaders, Clock clock) {
    if (standing.techniques().isEmpty()) {
      throw new IllegalArgumentException(
          "standing warm: no technique on (standing=next-hour+refresh-ahead+lazy+scheduled, or all)");
    }
    Duration minLease = warm.redisTimeout().multipliedBy(3);
    if (standing.leaseTtl().compareTo(minLease) < 0) {
      throw new IllegalArgumentException(
          "standinglease must be at least 3 × the Redis timeout ("
              + Durations.format(minLease)
              + "): "
              + Durations.format(standing.leaseTtl()));
    }
    if (standing.isOn(StandingTechnique.LAZY)
        && standing.lazyClaim().compareTo(warm.callTimeout()) <= 0) {
      throw new IllegalArgumentException(
          "lazyclaim must be longer than the call timeout ("
              + Durations.format(warm.callTimeout())
              + "): "
              + Durations.format(standing.lazyClaim()));
    }
    this.warm = warm;
    this.standing = standing;
    this.clock = clock;
    this.schema = KeySchema.forApp(warm.app());
    this.leaseTtlNanos = standing.leaseTtl().toNanos();
    this.leaseMarginNanos = leaseTtlNanos / 4;
    this.loads = new KeyLoads(loaders, standing.rate(), warm.callTimeout(), warm.app());
    this.context = new StandingContext(warm, standing, loaders, loads, clock);
    context.lease = this::holding;
    // the order in which queued keys take turns: the most urgent first
    add(new RefreshAhead());
    add(new LazyWarm());
    add(new NextHourWarm());
    add(new ScheduledWarm());
    this.thread = new Thread(this::run, "keywarm-standing-" + warm.app());
    thread.setDaemon(true);
    this.leaseRenewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "keywarm-standing-lease-" + warm.app());
              t.setDaemon(true);
              return t;
            });
  }

  private void add(Technique technique) {
    techniques.put(technique.kind, technique);
    if (standing.isOn(technique.kind)) {
      inTurn.add(technique);
    }
  }

  /** Also closes {@code more} (the loaders' connections) on {@link #close}; returns this. */
  public StandingWarm alsoCloses(List<? extends AutoCloseable> more) {
    synchronized (resources) {
      resources.addAll(more);
    }
    return this;
  }

  public StandingWarm start() {
    if (warm.jmx()) {
      registerMBean();
    }
    leaseRenewer.execute(this::renewAndReschedule); // at once, not a period after start
    thread.start();
    return this;
  }

  /** True while this instance holds the lease by its local deadline. */
  private boolean holding() {
    return held && System.nanoTime() - heldUntilNanos < 0 && !closed.get();
  }

  private void run() {
    long backoffMillis = 0;
    while (!closed.get()) {
      try {
        if (!holding()) {
          idle();
          Thread.sleep(TICK_MILLIS);
          continue;
        }
        connect();
        startWorking();
        Instant now = clock.instant();
        readPlan(now);
        for (Technique technique : inTurn) {
          pollOne(technique, now);
        }
        boolean worked = workThroughQueued();
        report(false);
        backoffMillis = 0;
        if (!worked) {
          idleUntilDue();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        if (closed.get()) {
          return;
        }
        failedRounds.incrementAndGet();
        backoffMillis = backoffMillis == 0 ? 1_000 : Math.min(30_000, backoffMillis * 2);
        WarmLog.warn("standing warm: " + t + "; retrying in " + backoffMillis + " ms");
        closeConnections();
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException e) {
          return;
        }
        renewNow(); // before any work resumes: the lease may have lapsed during the back-off
      }
    }
  }

  /** Sleeps a tick, or less if refresh-ahead has a key due sooner. */
  private void idleUntilDue() throws InterruptedException {
    long sleep = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    if (standing.isOn(StandingTechnique.REFRESH_AHEAD)) {
      long due = ((RefreshAhead) techniques.get(StandingTechnique.REFRESH_AHEAD)).nextDueNanos();
      if (due != Long.MAX_VALUE) {
        sleep =
            Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(sleep, due - System.nanoTime()));
      }
    }
    TimeUnit.NANOSECONDS.sleep(sleep);
  }

  /** Not holding: stop for good if another instance holds it, else pause until renewed. */
  private void idle() {
    if (otherSeen || !held) {
      otherSeen = false;
      if (working) {
        working = false;
        fresh = true;
        inTurn.forEach(Technique::dropQueued);
        WarmLog.info(
            "standing warm: the lease is another instance's now; " + warm.instanceId() + " idles");
      }
      paused = false;
      closeConnections(); // a non-holder keeps no connection to the cache
    } else if (working && !paused) {
      paused = true;
      WarmLog.warn(
          "standing warm: the lease could not be renewed in time (stats Redis unreachable?);"
              + " paused until it is");
    }
  }

  /** A technique's poll; an error of its own costs it its queue, a connection error the round. */
  private void pollOne(Technique technique, Instant now) {
    try {
      technique.poll(context, now);
    } catch (RuntimeException e) {
      techniqueFailed(technique, e);
    }
  }

  private void techniqueFailed(Technique technique, RuntimeException e) {
    technique.roundFailed = true;
    if (e instanceof JedisConnectionException || e instanceof RedisUnavailableException) {
      throw e; // the connection: every technique's round, after the back-off
    }
    failedRounds.incrementAndGet();
    technique.dropQueued();
    WarmLog.warn("standing warm: " + technique.kind.option() + ": " + e);
  }

  private void connect() {
    if (cache == null) {
      cache = RedisTarget.connect(warm.redisUri(), warm.redisTimeout(), warm.redisGiveUpAfter());
      context.useCache(cache);
    }
    if (stats == null) {
      stats =
          warm.statsUri().equals(warm.redisUri())
              ? cache
              : RedisTarget.connect(warm.statsUri(), warm.redisTimeout(), warm.redisGiveUpAfter());
      context.stats = stats.client();
    }
  }

  /** On the lease thread: one renewal, then the next one period (jittered) later. */
  private void renewAndReschedule() {
    try {
      renewOnce();
    } finally {
      if (!closed.get()) {
        long period = leaseTtlNanos / 3;
        long delay = period - ThreadLocalRandom.current().nextLong(period / 4 + 1);
        try {
          leaseRenewer.schedule(this::renewAndReschedule, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          // closed meanwhile
        }
      }
    }
  }

  /** Takes or renews the lease; never throws (an Error must not end the renewals either). */
  private void renewOnce() {
    if (closed.get()) {
      return;
    }
    long start = System.nanoTime();
    try {
      RedisTarget target = leaseStats;
      if (target == null) {
        target = RedisTarget.connect(warm.statsUri(), warm.redisTimeout(), Duration.ZERO);
        leaseStats = target;
      }
      boolean ours =
          FleetLease.acquireOrRenew(
              target.client(),
              schema.standingLease(),
              warm.instanceId(),
              standing.leaseTtl().toMillis());
      if (ours) {
        heldUntilNanos = start + leaseTtlNanos - leaseMarginNanos;
        held = true;
      } else {
        if (held) {
          otherSeen = true;
        }
        held = false;
      }
      leaseWarned = false;
    } catch (Throwable t) {
      // unknown who holds it: the local deadline stands; a new connection next time
      RedisTarget broken = leaseStats;
      leaseStats = null;
      if (broken != null) {
        try {
          broken.close();
        } catch (Throwable ignored) {
          // gone already
        }
      }
      long now = System.nanoTime();
      if (!leaseWarned || now - leaseWarnedNanos > REPORT_NANOS) {
        leaseWarned = true;
        leaseWarnedNanos = now;
        WarmLog.warn("standing warm: lease not renewed: " + t);
      }
    }
  }

  /** From the scheduler thread: a renewal now, waited for (at most the Redis timeout twice). */
  private void renewNow() {
    try {
      leaseRenewer
          .submit(this::renewOnce)
          .get(2 * warm.redisTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      // the deadline decides
    }
  }

  private void startWorking() {
    if (paused) {
      paused = false;
      WarmLog.info("standing warm: lease renewed; " + warm.instanceId() + " resumes");
    }
    if (working) {
      return;
    }
    working = true;
    if (fresh) {
      fresh = false;
      planReadNanos = 0;
      inTurn.forEach(Technique::leaseTaken);
    }
    WarmLog.info(
        "standing warm: "
            + standing.describeTechniques()
            + " running for the fleet as "
            + warm.instanceId()
            + " (lease "
            + schema.standingLease()
            + "), at most "
            + standing.rate()
            + " loader calls/s");
  }

  /**
   * The current order, read every {@value #PLAN_REFRESH_MINUTES} min and at each UTC hour (a
   * fallback ranking only at each hour), at most as many keys as refresh-ahead and scheduled watch.
   */
  private void readPlan(Instant now) {
    int keys = 0;
    if (standing.isOn(StandingTechnique.REFRESH_AHEAD)) {
      keys = standing.refreshKeys();
    }
    if (standing.isOn(StandingTechnique.SCHEDULED)) {
      keys = Math.max(keys, standing.scheduledKeys());
    }
    long nanos = System.nanoTime();
    long hour = HourBucket.of(now).epochHour();
    if (keys == 0
        || (planReadNanos != 0
            && hour == planHour
            && (planIsFallback
                || nanos - planReadNanos < TimeUnit.MINUTES.toNanos(PLAN_REFRESH_MINUTES)))) {
      return; // a fallback ranking (days of hourly sets) is read at most once an hour
    }
    WarmOrder order = context.resolve(now, keys);
    context.currentTtls = order.planTtls();
    if (standing.isOn(StandingTechnique.REFRESH_AHEAD)) {
      List<byte[]> top = new ArrayList<>();
      for (PlanEntry entry : order.primary()) {
        if (top.size() == standing.refreshKeys()) {
          break;
        }
        top.add(entry.key());
      }
      context.currentTtls = context.observedTtls(top, order.planTtls());
    }
    context.current = order;
    planIsFallback = !order.source().startsWith("plan ");
    planReadNanos = nanos; // only once read: a failed read is retried after the back-off
    planHour = hour;
  }

  /** Queued keys in turn, one per technique, for at most a slice; false if none was queued. */
  private boolean workThroughQueued() throws InterruptedException {
    long end = System.nanoTime() + SLICE_NANOS;
    boolean worked = false;
    boolean any = true;
    while (any && System.nanoTime() - end < 0) {
      any = false;
      for (Technique technique : inTurn) {
        if (!holding()) {
          return worked; // what is queued waits for a renewal, or goes if another holds it
        }
        if (technique.hasWork()) {
          try {
            technique.handleNext(context);
          } catch (RuntimeException e) {
            techniqueFailed(technique, e);
          }
          any = true;
          worked = true;
        }
      }
    }
    return worked;
  }

  private void report(boolean last) {
    long now = System.nanoTime();
    if (!last && now - reportedNanos < REPORT_NANOS) {
      return;
    }
    reportedNanos = now;
    StringBuilder line = new StringBuilder();
    for (Technique technique : inTurn) {
      technique.counters.measureRate(now);
      if (technique.counters.active()) {
        line.append(line.length() == 0 ? "" : "; ")
            .append(technique.kind.option())
            .append(' ')
            .append(technique.counters.describe(technique.loadedName()));
      }
    }
    if (line.length() > 0) {
      WarmLog.info("standing warm: " + line);
    }
  }

  /** What {@code technique} did since start. */
  public StandingTechniqueStats stats(StandingTechnique technique) {
    return techniques.get(technique).counters.snapshot(standing.isOn(technique));
  }

  /**
   * The counters by name, for meters: {@code <technique>.<counter>} ({@code next-hour.loaded},
   * {@code lazy.skipped}, ... as {@link TechniqueCounters#meters} names them; all monotonic except
   * {@code keys_per_second} and {@code coverage_gained}), and {@code lease_holder} (1 or 0).
   */
  @Override
  public Map<String, Number> get() {
    Map<String, Number> out = new LinkedHashMap<>();
    out.put("lease_holder", holding() ? 1 : 0);
    out.put("failed_rounds", failedRounds.get());
    for (Technique technique : inTurn) {
      technique.counters.meters(technique.kind.option(), out);
    }
    return out;
  }

  @Override
  public boolean isLeaseHolder() {
    return holding();
  }

  @Override
  public String getInstance() {
    return warm.instanceId();
  }

  @Override
  public String getTechniques() {
    return standing.describeTechniques();
  }

  @Override
  public long getFailedRounds() {
    return failedRounds.get();
  }

  @Override
  public StandingTechniqueStats getNextHour() {
    return stats(StandingTechnique.NEXT_HOUR);
  }

  @Override
  public StandingTechniqueStats getRefreshAhead() {
    return stats(StandingTechnique.REFRESH_AHEAD);
  }

  @Override
  public StandingTechniqueStats getLazy() {
    return stats(StandingTechnique.LAZY);
  }

  @Override
  public StandingTechniqueStats getScheduled() {
    return stats(StandingTechnique.SCHEDULED);
  }

  private void registerMBean() {
    try {
      ObjectName name =
          new ObjectName("dev.keywarm:type=StandingWarm,app=" + ObjectName.quote(warm.app()));
      var server = ManagementFactory.getPlatformMBeanServer();
      synchronized (MBEANS) {
        if (server.isRegistered(name)) {
          server.unregisterMBean(name); // the latest service of this app is the one to see
        }
        server.registerMBean(this, name);
        MBEANS.put(name, this);
      }
      jmxName = name;
    } catch (Exception | LinkageError e) {
      WarmLog.warn("standing warm: JMX bean not registered: " + e);
    }
  }

  private void unregisterMBean() {
    if (jmxName == null) {
      return;
    }
    synchronized (MBEANS) {
      if (!MBEANS.remove(jmxName, this)) {
        return; // another service of this app replaced it: that one's to unregister
      }
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(jmxName);
      } catch (Exception | LinkageError ignored) {
        // gone already
      }
    }
  }

  private void closeConnections() {
    RedisTarget s = stats;
    RedisTarget c = cache;
    stats = null;
    cache = null;
    context.useCache(null);
    context.stats = null;
    if (s != null && s != c) {
      s.close();
    }
    if (c != null) {
      c.close();
    }
  }

  /**
   * Stops the service and deletes the lease if it is still this instance's (compare-and-delete,
   * whatever this instance believed). Idempotent; waits for the threads it started.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (closeLock) {
      leaseRenewer.shutdownNow();
      thread.interrupt();
      loads.close();
      try {
        leaseRenewer.awaitTermination(
            2 * warm.redisTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        thread.join(2_000);
        loads.awaitClosed(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      report(true);
      held = false;
      releaseLease();
      if (thread.isAlive()) {
        WarmLog.warn("standing warm: the scheduler did not stop within 2 s");
      } else {
        closeConnections();
      }
      unregisterMBean();
      List<AutoCloseable> more;
      synchronized (resources) {
        more = new ArrayList<>(resources);
        resources.clear();
      }
      for (AutoCloseable resource : more) {
        try {
          resource.close();
        } catch (Exception ignored) {
          // a loader's connection that fails to close changes nothing
        }
      }
    }
  }

  /** After every renewal has ended: none takes the lease back after this. */
  private void releaseLease() {
    RedisTarget target = leaseStats;
    leaseStats = null;
    try {
      if (target == null) {
        target = RedisTarget.connect(warm.statsUri(), warm.redisTimeout(), Duration.ZERO);
      }
      FleetLease.release(target.client(), schema.standingLease(), warm.instanceId());
    } catch (RuntimeException e) {
      WarmLog.warn("standing warm: lease not released (it expires by itself): " + e.getMessage());
    } finally {
      if (target != null) {
        target.close();
      }
    }
  }
}
