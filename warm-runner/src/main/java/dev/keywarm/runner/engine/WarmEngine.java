package dev.keywarm.runner.engine;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.WarmSettings;
import dev.keywarm.runner.WarmStatus;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.KeyBytes;
import dev.keywarm.runner.plan.ObservedTtls;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.runner.plan.WarmOrder;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.FieldMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replays a plan through the loaders in plan order (hottest first). One dispatcher thread walks the
 * plan, groups consecutive keys of one loader into calls of up to its {@code batchSize()}, waits
 * for a concurrency slot ({@link AdaptiveConcurrency}) and a rate token per key ({@link
 * RateLimiter}), and hands the call to a loader thread. Loaded values go to the {@link
 * PipelinedWriter}.
 *
 * <p>A watchdog checks in-flight calls every few milliseconds: a call past the per-call timeout is
 * counted as timed out (every key in it), its slot freed and its thread interrupted; whatever it
 * returns later is discarded. A hung loader therefore costs one thread, not a slot. Loader threads
 * are daemon threads from a cached pool, so a loader that ignores interruption cannot keep the JVM
 * alive. A loader whose own client gives up first (the HTTP loader's request timeout) throws a
 * timeout exception; that is a timeout too ({@link CallOutcome#of}), not a failure.
 *
 * <p>Plan members are plain keys or hash fields ({@code FieldMember}): {@link LoaderTable#find}
 * picks a key loader or a field loader (by the hash's key), a call never mixes the two, and the
 * writer writes a field with {@code HSETNX} ({@link FieldWrite}). A field without a field loader
 * counts as {@code noLoader} and {@code noFieldLoader}; a dump from a field loader as failed.
 *
 * <p>Phases: the primary order, then the correlated keys of what is now in the cache, then the next
 * hour's keys; each phase drains (in-flight calls and writes) before the next is computed. Keys
 * that the snapshot's restore ({@link SnapshotRestore}) put in the cache or found there, before
 * this engine started, count as present and are not loaded; their followers are expanded. The run
 * stops early at the key/byte/time budget, on cancel, when the share of failed + timed-out keys
 * exceeds {@code maxErrorRate} (after at least {@value #MIN_ABORT_SAMPLE} keys), or when the writer
 * gives up on the cache Redis.
 */
public final class WarmEngine {

  static final int MIN_ABORT_SAMPLE = 20;

  private final WarmSettings settings;
  private final LoaderTable loaders;
  private final WarmCounters counters;
  private final AdaptiveConcurrency concurrency;
  private final RateLimiter rate;
  private final PipelinedWriter writer;
  private final Set<LoadCall> inFlight = ConcurrentHashMap.newKeySet();
  private final ExecutorService loadPool;
  private final long deadlineNanos;
  private final long callTimeoutNanos;
  private final TtlChoice ttls;

  private volatile boolean cancelled;
  private volatile String abortReason;
  private volatile boolean budgetReached;

  /** Keys the snapshot's restore put in the cache or found there, in the order it wrote them. */
  private final List<KeyBytes> restoredOrder;

  private final Set<KeyBytes> restored;

  public WarmEngine(
      WarmSettings settings,
      LoaderTable loaders,
      RedisTarget target,
      WarmCounters counters,
      boolean expandPairs,
      long startNanos,
      List<KeyBytes> restored,
      ObservedTtls observed) {
    this.settings = settings;
    this.ttls = new TtlChoice(settings, loaders, observed);
    this.restoredOrder = restored;
    this.restored = new HashSet<>(restored);
    this.loaders = loaders;
    this.counters = counters;
    this.concurrency = new AdaptiveConcurrency(settings.concurrency());
    this.rate = new RateLimiter(settings.ratePerSecond());
    this.writer =
        new PipelinedWriter(
            target,
            counters,
            settings.writers(),
            settings.writeBatch(),
            settings.redisGiveUpAfter().toMillis(),
            settings.app(),
            expandPairs);
    AtomicInteger threadIds = new AtomicInteger();
    this.loadPool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(
                      r, "keywarm-load-" + settings.app() + "-" + threadIds.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.deadlineNanos =
        settings.maxTime() == null ? Long.MAX_VALUE : startNanos + settings.maxTime().toNanos();
    this.callTimeoutNanos = settings.callTimeout().toNanos();
  }

  /** Runs the plan to the end or to a stop condition; returns how it ended. */
  public WarmStatus run(WarmOrder plan) throws InterruptedException {
    Thread watchdog = new Thread(this::watch, "keywarm-watchdog-" + settings.app());
    watchdog.setDaemon(true);
    writer.start();
    watchdog.start();
    try {
      Set<KeyBytes> planned = new HashSet<>();
      if (plan.pairs().size()
          > 0) { // only needed to keep pair followers out of the rest of the plan
        plan.primary().forEach(e -> planned.add(new KeyBytes(e.key())));
        plan.nextHour().forEach(e -> planned.add(new KeyBytes(e.key())));
        planned.addAll(restored);
      }
      counters.primaryKeys = plan.primary().size();
      counters.primaryWeight = plan.primaryWeight();
      List<PlanEntry> primary = notRestored(plan.primary());
      List<PlanEntry> nextHour = notRestored(plan.nextHour());
      counters.planRead = true;
      counters.planned.addAndGet(primary.size() + nextHour.size());

      runPhase(primary);
      if (!stopping()) {
        List<KeyBytes> present = new ArrayList<>(restoredOrder);
        writer.presentKeys().forEach(present::add);
        List<PlanEntry> followers = new ArrayList<>();
        for (byte[] key : plan.pairs().followersOf(present, planned)) {
          if (followers.size() >= settings.maxKeys()) {
            break;
          }
          followers.add(new PlanEntry(key, 0, PlanEntry.Source.PAIR));
        }
        counters.planned.addAndGet(followers.size());
        runPhase(followers);
      }
      if (!stopping()) {
        runPhase(nextHour);
      }
    } finally {
      watchdog.interrupt();
      writer.stop();
      loadPool.shutdownNow();
    }
    if (writer.failure() != null) {
      throw writer.failure();
    }
    if (cancelled) {
      return WarmStatus.CANCELLED;
    }
    if (abortReason != null) {
      return WarmStatus.ABORTED;
    }
    return budgetReached ? WarmStatus.BUDGET_REACHED : WarmStatus.COMPLETED;
  }

  /**
   * The entries the snapshot did not bring back; those it did count as present (coverage) and are
   * neither loaded nor planned again.
   */
  private List<PlanEntry> notRestored(List<PlanEntry> entries) {
    if (restored.isEmpty()) {
      return entries;
    }
    List<PlanEntry> rest = new ArrayList<>(entries.size());
    for (PlanEntry e : entries) {
      if (restored.contains(new KeyBytes(e.key()))) {
        counters.present(e);
      } else {
        rest.add(e);
      }
    }
    return rest;
  }

  /** Why the run was aborted, or null. */
  public String abortReason() {
    return abortReason;
  }

  public void cancel() {
    cancelled = true;
  }

  public WarmCounters.Concurrency concurrency() {
    return new WarmCounters.Concurrency(
        concurrency.limit(), concurrency.minLimit(), concurrency.decreases());
  }

  private void runPhase(List<PlanEntry> entries) throws InterruptedException {
    int i = 0;
    while (i < entries.size() && !stopping()) {
      PlanEntry first = entries.get(i);
      LoaderTable.Entry loader = loaderOf(first.key());
      if (loader == null) {
        counters.noLoader.incrementAndGet();
        if (FieldMember.isField(first.key())) {
          counters.noFieldLoader.incrementAndGet();
        }
        i++;
        continue;
      }
      int max = loader.batchSize();
      List<PlanEntry> call = new ArrayList<>(Math.min(max, entries.size() - i));
      call.add(first);
      i++;
      while (call.size() < max && i < entries.size() && loaderOf(entries.get(i).key()) == loader) {
        call.add(entries.get(i++));
      }
      long ticket = acquireSlot();
      if (ticket < 0) {
        break;
      }
      if (!rate.acquire(call.size())) {
        throw new InterruptedException();
      }
      counters.dispatched.addAndGet(call.size());
      LoadCall task = new LoadCall(call, loader, ticket);
      inFlight.add(task);
      loadPool.execute(task);
    }
    // every call ends by itself or by the watchdog within the timeout; the margin covers the
    // watchdog's tick
    concurrency.awaitIdle(TimeUnit.NANOSECONDS.toMillis(callTimeoutNanos) + 1_000);
    writer.flush();
  }

  /**
   * The loader of a plan member, or null: none matches, or the member was stored truncated (a key
   * or field past {@code StoredKey.MAX_BYTES}), so its bytes are not the application's and a write
   * under them — into the application's own hash, for a field — would be junk.
   */
  private LoaderTable.Entry loaderOf(byte[] member) {
    return LoaderTable.isTruncated(member) ? null : loaders.find(member);
  }

  /** Waits for a concurrency slot, re-checking the stop conditions; its ticket, or -1 to stop. */
  private long acquireSlot() throws InterruptedException {
    long ticket;
    while ((ticket = concurrency.tryAcquire(20)) < 0) {
      if (stopping()) {
        return -1;
      }
    }
    if (stopping()) {
      concurrency.cancel(ticket);
      return -1;
    }
    return ticket;
  }

  private boolean stopping() {
    if (!budgetReached
        && (System.nanoTime() > deadlineNanos
            || (settings.maxBytes() > 0 && counters.bytesLoaded.get() >= settings.maxBytes()))) {
      budgetReached = true;
    }
    return cancelled || budgetReached || abortReason != null || writer.failure() != null;
  }

  /**
   * {@code latency} is the loader's own time: waiting for the writer must not read as a slow
   * loader.
   */
  private void completed(LoadCall call, List<LoadedValue> values, Throwable error, long latency) {
    int n = call.entries.size();
    if (error == null && (values == null || values.size() != n)) {
      error =
          new IllegalStateException(
              "loader returned "
                  + (values == null ? "null" : values.size())
                  + " values for "
                  + n
                  + " keys");
    }
    CallOutcome outcome = error == null ? CallOutcome.OK : CallOutcome.of(error);
    if (outcome == CallOutcome.TIMED_OUT) {
      counters.timedOut.addAndGet(n);
    } else if (outcome == CallOutcome.FAILED) {
      counters.failed.addAndGet(n);
      if (counters.failed.get() <= 3) {
        WarmLog.warn("loader for " + call.loader.describe() + " failed: " + error);
      }
    } else {
      try {
        List<PipelinedWriter.Write> writes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          PipelinedWriter.Write w = write(call.entries.get(i), values.get(i), call.loader);
          if (w != null) {
            writes.add(w);
          }
        }
        if (!writes.isEmpty()) {
          writer.enqueueAll(writes);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the run is being torn down
      }
    }
    counters.completed.addAndGet(n);
    concurrency.release(call.ticket, latency, outcome);
    checkErrorRate();
  }

  /** The write for one loaded key, or null when there is nothing to write. */
  private PipelinedWriter.Write write(
      PlanEntry entry, LoadedValue value, LoaderTable.Entry loader) {
    if (value == null) {
      counters.missing.incrementAndGet();
      return null;
    }
    switch (value.kind()) {
      case STORED_BY_LOADER -> {
        writer.markStoredByLoader(entry);
        return null;
      }
      case DUMP -> {
        if (loader.loadsFields()) {
          // a dump is a whole key: restoring it would replace the hash, not set one field
          if (counters.failed.incrementAndGet() <= 3) {
            WarmLog.warn("field loader for " + loader.describe() + " returned a dump: not written");
          }
          return null;
        }
        counters.bytesLoaded.addAndGet(value.bytes().length);
        return new PipelinedWriter.Write(
            entry, value, value.ttl().map(Duration::toMillis).orElse(0L));
      }
      default -> {
        counters.bytesLoaded.addAndGet(value.bytes().length);
        return new PipelinedWriter.Write(entry, value, ttls.millis(entry.key(), value, loader));
      }
    }
  }

  private void checkErrorRate() {
    long done = counters.completed.get();
    if (abortReason == null && done >= MIN_ABORT_SAMPLE) {
      double rate = (double) (counters.failed.get() + counters.timedOut.get()) / done;
      if (rate > settings.maxErrorRate()) {
        abortReason =
            String.format(
                Locale.ROOT,
                "loader error rate %.0f%% over %d keys exceeds the limit of %.0f%%",
                rate * 100,
                done,
                settings.maxErrorRate() * 100);
      }
    }
  }

  /**
   * Times out calls past their deadline; ticks at a quarter of the timeout, at most every 50 ms.
   */
  private void watch() {
    long tickMillis =
        Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(callTimeoutNanos) / 4));
    while (!Thread.currentThread().isInterrupted()) {
      long now = System.nanoTime();
      for (LoadCall call : inFlight) {
        if (now - call.startNanos > callTimeoutNanos && call.state.compareAndSet(0, 2)) {
          inFlight.remove(call);
          counters.timedOut.addAndGet(call.entries.size());
          counters.completed.addAndGet(call.entries.size());
          concurrency.release(call.ticket, now - call.startNanos, CallOutcome.TIMED_OUT);
          call.interrupt();
          checkErrorRate();
        }
      }
      try {
        Thread.sleep(tickMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One loader call for one key or one batch; {@code state} 0 running, 1 done, 2 timed out. */
  private final class LoadCall implements Runnable {

    final List<PlanEntry> entries;
    final LoaderTable.Entry loader;
    final long ticket;
    final long startNanos = System.nanoTime();
    final AtomicInteger state = new AtomicInteger();
    private Thread thread;

    LoadCall(List<PlanEntry> entries, LoaderTable.Entry loader, long ticket) {
      this.entries = entries;
      this.loader = loader;
      this.ticket = ticket;
    }

    @Override
    public void run() {
      synchronized (this) {
        thread = Thread.currentThread();
      }
      List<LoadedValue> values = null;
      Throwable error = null;
      try {
        List<byte[]> members = new ArrayList<>(entries.size());
        entries.forEach(e -> members.add(e.key()));
        values = loader.loadAll(members);
      } catch (Throwable t) {
        error = t;
      } finally {
        synchronized (this) {
          thread = null;
        }
        Thread
            .interrupted(); // a late interrupt from the watchdog must not hit the pool's next task
      }
      long latency = System.nanoTime() - startNanos;
      if (state.compareAndSet(0, 1)) {
        inFlight.remove(this);
        completed(this, values, error, latency);
      }
    }

    synchronized void interrupt() {
      if (thread != null) {
        thread.interrupt();
      }
    }
  }
}
