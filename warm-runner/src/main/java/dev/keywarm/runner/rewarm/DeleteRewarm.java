package dev.keywarm.runner.rewarm;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.WarmSettings;
import dev.keywarm.runner.engine.NxWrite;
import dev.keywarm.runner.engine.TtlChoice;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.KeyBytes;
import dev.keywarm.runner.plan.ObservedTtls;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.runner.plan.PlanOptions;
import dev.keywarm.runner.plan.PlanResolver;
import dev.keywarm.runner.plan.WarmOrder;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.KeySchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Re-warm after invalidation ({@code rewarm=on-delete}): a hot key the application deletes is
 * loaded again through its loader, {@code delay} later, and written with {@code SET … NX} (a dump
 * with {@code RESTORE} without {@code REPLACE}), so a refill by the application in the meantime —
 * or any later one — always wins; the warm never overwrites.
 *
 * <p>Hot means planned: the keys a warm would load now (this hour's plan, then the overall one, up
 * to {@code maxKeys}; the hourly ranking when no plan is published), refreshed every {@value
 * #HOT_SET_REFRESH_MINUTES} min. Other deleted keys are left alone: the application deleted them
 * and nobody reads them much. Loads go at most at the warm's {@code rate}, one at a time, each
 * within the call timeout; TTLs as a warm chooses them ({@link TtlChoice}). Deletes arrive through
 * {@link #accept} from the agent's aggregator thread and never block it: the queue holds {@value
 * #QUEUE} keys, more are dropped and counted. A load that a newer delete of the same key overtook
 * is not written (the value may predate the change that deleted it), and neither is a value without
 * a TTL, a dump of a key that had none included (nothing would ever replace a stale one; {@link
 * NxWrite}). One line per minute with anything to say.
 *
 * <p>Hash fields: a planned field ({@code FieldMember}) is re-warmed when the application deletes
 * its hash ({@code DEL user:42} takes every field with it) or, if the agent reports it, the field
 * itself (its member); loaded through its field loader and written with {@code HSETNX}.
 */
public final class DeleteRewarm implements Consumer<byte[]>, AutoCloseable {

  static final int QUEUE = 10_000;
  static final int LOAD_THREADS = 4;

  /** Keys whose last delete time is remembered, to drop a load a newer delete overtook. */
  static final int REMEMBERED_DELETES = 10_000;

  static final int HOT_SET_REFRESH_MINUTES = 5;
  private static final long REPORT_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int OBSERVED_TTL_HOURS = 24;

  private record Deleted(byte[] key, long atNanos) {}

  private final WarmSettings settings;
  private final LoaderTable loaders;
  private final Clock clock;
  private final long delayNanos;
  private final KeySchema schema;
  private final BlockingQueue<Deleted> queue = new ArrayBlockingQueue<>(QUEUE);

  /** Each key's newest delete (nanoTime), bounded (least recently deleted forgotten first). */
  private final Map<KeyBytes, Long> lastDelete =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<KeyBytes, Long> eldest) {
          return size() > REMEMBERED_DELETES;
        }
      };

  private final ExecutorService loads;
  private final Thread thread;
  private volatile boolean closed;

  private final AtomicLong dropped = new AtomicLong();
  // written by the re-warm thread only, read by others (meters, JMX): volatile for visibility
  private volatile long rewarmed;
  private volatile long refilledFirst;
  private volatile long notHot;
  private volatile long noLoader;
  private volatile long missing;
  private volatile long failed;
  private volatile long noTtl;

  private Set<KeyBytes> hot = Set.of();

  /** The planned fields of each hash, by the hash's key: what a delete of the hash took. */
  private Map<KeyBytes, List<byte[]>> hotFields = Map.of();

  private ObservedTtls planTtls = ObservedTtls.none();
  private long hotSetReadNanos;
  private boolean announced;
  private long reportedNanos = System.nanoTime();
  private RedisTarget cache;
  private RedisTarget stats;

  public DeleteRewarm(WarmSettings settings, LoaderTable loaders, Clock clock, Duration delay) {
    this.settings = settings;
    this.loaders = loaders;
    this.clock = clock;
    this.delayNanos = delay.toNanos();
    this.schema = KeySchema.forApp(settings.app());
    // at most LOAD_THREADS loads at once and none queued: a loader that hangs past its timeout
    // (ignoring the interrupt) takes one thread, never the re-warm, and never piles up tasks
    this.loads =
        new ThreadPoolExecutor(
            1,
            LOAD_THREADS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "keywarm-rewarm-load-" + settings.app());
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(this::run, "keywarm-rewarm-" + settings.app());
    thread.setDaemon(true);
  }

  public DeleteRewarm start() {
    thread.start();
    return this;
  }

  /** A key the application deleted; returns at once. */
  @Override
  public void accept(byte[] key) {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    synchronized (lastDelete) {
      lastDelete.put(new KeyBytes(key), now);
    }
    if (!queue.offer(new Deleted(key, now))) {
      dropped.incrementAndGet();
    }
  }

  private void run() {
    long backoffMillis = 0;
    while (!closed) {
      try {
        connect();
        refreshHotSet();
        List<byte[]> due = nextDue();
        if (!due.isEmpty()) {
          rewarm(due);
        }
        report(false);
        backoffMillis = 0;
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        // a Redis outage or a bug: the keys in hand are not re-warmed, the thread goes on
        failed++;
        backoffMillis = backoffMillis == 0 ? 1_000 : Math.min(30_000, backoffMillis * 2);
        WarmLog.warn("re-warm on delete: " + t.getMessage() + "; retrying in " + backoffMillis);
        closeConnections();
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void connect() {
    if (cache == null) {
      cache =
          RedisTarget.connect(
              settings.redisUri(), settings.redisTimeout(), settings.redisGiveUpAfter());
    }
    if (stats == null) {
      stats =
          settings.statsUri().equals(settings.redisUri())
              ? cache
              : RedisTarget.connect(
                  settings.statsUri(), settings.redisTimeout(), settings.redisGiveUpAfter());
    }
  }

  private void refreshHotSet() {
    long now = System.nanoTime();
    if (hotSetReadNanos != 0
        && now - hotSetReadNanos < TimeUnit.MINUTES.toNanos(HOT_SET_REFRESH_MINUTES)) {
      return;
    }
    WarmOrder order =
        new PlanResolver(
                stats.client(),
                schema,
                new PlanOptions(
                    settings.maxKeys(), settings.historyDays(), settings.minPairLift(), false),
                settings.planSnapshot())
            .resolve(clock.instant());
    Set<KeyBytes> keys = new HashSet<>();
    Map<KeyBytes, List<byte[]>> fields = new HashMap<>();
    for (PlanEntry entry : order.primary()) {
      keys.add(new KeyBytes(entry.key()));
      if (FieldMember.isField(entry.key())) {
        fields
            .computeIfAbsent(new KeyBytes(FieldMember.key(entry.key())), k -> new ArrayList<>())
            .add(entry.key());
      }
    }
    hot = keys;
    hotFields = fields;
    planTtls = order.planTtls();
    hotSetReadNanos = now; // only once read: a failed read is retried after the back-off
    if (!announced) {
      announced = true;
      WarmLog.info(
          "re-warm on delete: ready; "
              + keys.size()
              + " hot keys ("
              + order.source()
              + "), reloaded "
              + Duration.ofNanos(delayNanos).toMillis()
              + " ms after the application deletes one");
    }
  }

  /** Waits for the oldest delete to be due (at most 1 s), then takes every due one. */
  private List<byte[]> nextDue() throws InterruptedException {
    Deleted head = queue.poll(1, TimeUnit.SECONDS);
    if (head == null) {
      return List.of();
    }
    long wait = head.atNanos() + delayNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    Map<KeyBytes, byte[]> due = new LinkedHashMap<>();
    due.put(new KeyBytes(head.key()), head.key());
    long now = System.nanoTime();
    for (Deleted next = queue.peek();
        next != null && next.atNanos() + delayNanos - now <= 0 && due.size() < 64;
        next = queue.peek()) {
      queue.poll();
      due.putIfAbsent(new KeyBytes(next.key()), next.key());
    }
    return new ArrayList<>(due.values());
  }

  private void rewarm(List<byte[]> deleted) throws InterruptedException {
    Map<KeyBytes, byte[]> members = new LinkedHashMap<>();
    for (byte[] key : deleted) {
      List<byte[]> fields = hotFields.getOrDefault(new KeyBytes(key), List.of());
      if (hot.contains(new KeyBytes(key))) {
        members.putIfAbsent(new KeyBytes(key), key);
      } else if (fields.isEmpty()) {
        notHot++;
      }
      fields.forEach(f -> members.putIfAbsent(new KeyBytes(f), f));
    }
    List<byte[]> keys = new ArrayList<>(members.values());
    if (keys.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    ObservedTtls observed;
    try {
      observed =
          ObservedTtls.lookUp(stats.client(), schema, keys, now, OBSERVED_TTL_HOURS).or(planTtls);
    } catch (JedisException e) {
      observed = planTtls;
    }
    TtlChoice ttls = new TtlChoice(settings, loaders, observed);
    long spacingNanos = settings.ratePerSecond() > 0 ? (long) (1e9 / settings.ratePerSecond()) : 0;
    for (byte[] key : keys) {
      long started = System.nanoTime();
      rewarmOne(key, ttls);
      long rest = spacingNanos - (System.nanoTime() - started);
      if (rest > 0) {
        TimeUnit.NANOSECONDS.sleep(rest);
      }
    }
  }

  private void rewarmOne(byte[] key, TtlChoice ttls) throws InterruptedException {
    LoaderTable.Entry loader = loaders.find(key);
    if (loader == null || LoaderTable.isTruncated(key)) {
      noLoader++; // a key stored truncated is not the application's key: nothing to load
      return;
    }
    LoadedValue value;
    long loadStarted = System.nanoTime();
    Future<LoadedValue> call;
    try {
      call = loads.submit(() -> loader.load(key));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      failed++; // every load thread is held by a loader that ignores its timeout
      return;
    }
    try {
      value = call.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      failed++;
      return;
    } catch (java.util.concurrent.ExecutionException e) {
      failed++;
      return;
    }
    if (value == null) {
      missing++;
      return;
    }
    if (deletedSince(key, loadStarted)) {
      refilledFirst++; // deleted again while loading: the value may predate that change
      return;
    }
    switch (NxWrite.write(cache, key, value, loader, ttls)) {
      case WRITTEN -> rewarmed++;
      case EXISTED -> refilledFirst++;
      case NO_TTL -> noTtl++; // a value that never expires could be stale for ever: not written
      default -> failed++;
    }
  }

  /** True if {@code member} — or, for a field, its hash — was deleted after {@code nanos}. */
  private boolean deletedSince(byte[] member, long nanos) {
    synchronized (lastDelete) {
      Long last = lastDelete.get(new KeyBytes(member));
      Long hash =
          FieldMember.isField(member)
              ? lastDelete.get(new KeyBytes(FieldMember.key(member)))
              : null;
      return (last != null && last - nanos > 0) || (hash != null && hash - nanos > 0);
    }
  }

  private void report(boolean last) {
    long now = System.nanoTime();
    if (!last && now - reportedNanos < REPORT_NANOS) {
      return;
    }
    reportedNanos = now;
    long lost = dropped.get();
    if (rewarmed + refilledFirst + noLoader + missing + failed + noTtl + lost > 0) {
      WarmLog.info(
          "re-warm on delete: rewarmed="
              + rewarmed
              + " refilled-by-application="
              + refilledFirst
              + " not-hot="
              + notHot
              + " no-loader="
              + noLoader
              + " missing="
              + missing
              + " failed="
              + failed
              + " no-ttl="
              + noTtl
              + " dropped="
              + lost);
    }
  }

  /** Keys loaded and written again since start. */
  public long rewarmed() {
    return rewarmed;
  }

  private void closeConnections() {
    RedisTarget s = stats;
    RedisTarget c = cache;
    stats = null;
    cache = null;
    if (s != null && s != c) {
      s.close();
    }
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    loads.shutdownNow();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnections();
  }
}
