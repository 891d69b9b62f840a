package dev.keywarm.agent.recording;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The aggregator thread: drains the recording rings into a bounded {@link KeySummary} for the
 * current UTC hour and, every flush interval or when the hour turns, seals it into a {@link
 * WindowSnapshot} for the flusher. It never touches the network, so a slow stats Redis cannot back
 * up the rings.
 *
 * <p>Events are assigned to the hour in which they are drained: at most one drain period ({@value
 * #DRAIN_PERIOD_MILLIS} ms, less when a ring fills) after the call itself.
 */
public final class WindowAggregator implements Runnable {

  static final long DRAIN_PERIOD_MILLIS = 20;

  /**
   * Reads paired per drain period, at most: pairing costs up to {@code pairkeys} summary updates
   * per read, so past ~100 000 reads/s (far beyond one JVM's usual Redis traffic) pairs are sampled
   * — counts never are — and the aggregator keeps up instead of letting the buffers overflow.
   */
  static final int PAIRED_READS_PER_PERIOD = 2_048;

  private static final long MILLIS_PER_HOUR = 3_600_000L;

  private final Recorder recorder;
  private final long flushIntervalNanos;
  private final Consumer<WindowSnapshot> output;
  private final KeyPrivacy privacy;
  private final LongSupplier clockMillis;
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final int maxKeys;
  private final long keyBytes;
  private final int pairWindowKeys;
  private final long pairWindowMillis;
  private final int maxPairs;
  private KeySummary summary;
  private PairSummary pairs;
  private CoAccessTracker coAccess;
  private EventSink sink;
  private InvalidationLog invalidations;
  private java.util.function.Consumer<byte[]> deletions;
  private volatile boolean countRemovals;
  private Runnable afterSeal = () -> {};
  private final AtomicLong untrackedRemovals = new AtomicLong();

  /** Keys written or invalidated in the drain in progress; handed to the log once it ends. */
  private final java.util.ArrayList<byte[]> drainedInvalidations = new java.util.ArrayList<>();

  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();
  private volatile boolean stopping;
  private volatile int trackedKeys;
  private long lostAtLastSeal;
  private long lostReadsAtLastSeal;
  private int pairedThisPeriod;
  private long pairPeriodStartNanos;
  private long nextSealNanos;
  private Thread thread;

  /**
   * @param pairWindowKeys reads of one thread remembered for pairing (0: no co-access pairs)
   * @param pairWindowMillis how far back a read pairs with a later one
   * @param maxPairs pairs tracked per window
   * @param keyBytes stored key bytes the window's summary may hold
   */
  public WindowAggregator(
      Recorder recorder,
      int maxKeys,
      long keyBytes,
      long flushIntervalNanos,
      int pairWindowKeys,
      long pairWindowMillis,
      int maxPairs,
      KeyPrivacy privacy,
      Consumer<WindowSnapshot> output,
      LongSupplier clockMillis) {
    this.recorder = recorder;
    this.privacy = privacy;
    this.flushIntervalNanos = flushIntervalNanos;
    this.output = output;
    this.clockMillis = clockMillis;
    this.maxKeys = maxKeys;
    this.keyBytes = keyBytes;
    this.pairWindowKeys = pairWindowKeys;
    this.pairWindowMillis = pairWindowMillis;
    this.maxPairs = maxPairs;
    freshSummaries(HourBucket.ofEpochMillis(clockMillis.getAsLong()));
  }

  private void freshSummaries(HourBucket hour) {
    summary = new KeySummary(maxKeys, keyBytes, hour);
    summary.countRemovals(countRemovals, untrackedRemovals);
    pairs = new PairSummary(pairWindowKeys > 0 ? maxPairs : 0);
    coAccess = new CoAccessTracker(pairWindowKeys, pairWindowMillis, pairs);
    wireSink();
  }

  private void wireSink() {
    sink = new Sink(coAccess.isEnabled(), summary, coAccess, deletions, invalidations);
  }

  /**
   * Every drained event to the summary (and the co-access pairs), deletes to the deletions
   * consumer, writes and invalidations to the snapshot's log. A hash field is counted from its key
   * and field as they are ({@link KeySummary#add(byte[], byte[], byte, long)}); its member is built
   * only for what keeps it — a new summary entry, the deletions consumer, the log.
   */
  private final class Sink implements EventSink {
    private final boolean pairing;
    private final KeySummary summary;
    private final CoAccessTracker coAccess;
    private final java.util.function.Consumer<byte[]> deleted;
    private final InvalidationLog log;

    Sink(
        boolean pairing,
        KeySummary summary,
        CoAccessTracker coAccess,
        java.util.function.Consumer<byte[]> deleted,
        InvalidationLog log) {
      this.pairing = pairing;
      this.summary = summary;
      this.coAccess = coAccess;
      this.deleted = deleted;
      this.log = log;
    }

    @Override
    public void accept(byte[] key, byte kind, long value) {
      accept(key, null, kind, value);
    }

    @Override
    public void accept(byte[] key, byte[] field, byte kind, long value) {
      byte[] member = null;
      if (log != null
          && (kind == EventKind.WRITE
              || kind == EventKind.INVALIDATE
              || kind == EventKind.EXPIRY)) {
        member = member(key, field);
        drainedInvalidations.add(member);
      }
      if (deleted != null && kind == EventKind.INVALIDATE && value == EventKind.DELETED) {
        deleted.accept(member != null ? member : member(key, field));
      }
      int entry = summary.add(key, field, kind, value);
      if (pairing) {
        pair(summary, coAccess, entry, kind, value);
      }
    }

    private byte[] member(byte[] key, byte[] field) {
      return field == null ? key : FieldMember.encode(key, field);
    }
  }

  /**
   * Also hands every write and invalidation, with the time it was drained, to {@code log} (for the
   * hot-set snapshot). Call before {@link #start()}.
   */
  public synchronized void invalidationsTo(InvalidationLog log) {
    invalidations = log;
    wireSink();
  }

  /**
   * Also hands every key the application deleted (DEL, UNLINK, GETDEL that succeeded) to {@code
   * consumer}, on the aggregator thread: it must return at once and never throw ({@code
   * rewarm=on-delete}, the meters). Consumers add up. Call before {@link #start()}.
   */
  public synchronized void deletionsTo(java.util.function.Consumer<byte[]> consumer) {
    deletions = deletions == null ? consumer : deletions.andThen(consumer);
    wireSink();
  }

  /**
   * Also counts the application's deletes per key in each window ({@link WindowSnapshot#removals}),
   * for the meters. Call before {@link #start()}.
   */
  public synchronized void countRemovals(boolean enabled) {
    countRemovals = enabled;
    summary.countRemovals(enabled, untrackedRemovals);
  }

  /**
   * Also runs {@code task} on the aggregator thread after every seal, an empty window's included
   * (which the output never sees): a stage with its own schedule keeps it when the application is
   * quiet. It must return at once and never throw. Call before {@link #start()}.
   */
  public synchronized void afterEverySeal(Runnable task) {
    afterSeal = task;
  }

  /** Deletes of keys the window summaries did not track or evicted, since start. */
  public long untrackedRemovals() {
    return untrackedRemovals.get();
  }

  private void pair(
      KeySummary summary, CoAccessTracker coAccess, int entry, byte kind, long value) {
    if (entry >= 0
        && (kind == EventKind.HIT || kind == EventKind.MISS)
        && pairedThisPeriod++ < PAIRED_READS_PER_PERIOD) {
      coAccess.read(
          (int) (value >>> 32),
          value & 0xFFFF_FFFFL,
          summary.member(entry),
          summary.memberHash(entry));
    }
  }

  public synchronized void start() {
    thread = new Thread(this, "keywarm-aggregator");
    thread.setDaemon(true);
    recorder.consumer(thread);
    nextSealNanos = System.nanoTime() + flushIntervalNanos;
    thread.start();
  }

  /**
   * Drains until stopped. An internal error (an OutOfMemoryError the application caused, a bug)
   * never ends recording: the window in progress is discarded — its events counted as lost, since a
   * summary interrupted mid-update cannot be trusted — and draining resumes after a back-off of 1
   * s, doubling to 30 s, during which full buffers lose (and count) events rather than hold memory.
   */
  @Override
  public void run() {
    long backoffMillis = 0;
    while (!stopping) {
      try {
        while (!stopping) {
          int drained = step();
          // A trickle waits for the next period (draining one event at a time would spin a core);
          // a burst that filled a quarter of the buffers is drained again at once.
          if (drained < recorder.capacity() / 4 && !stopping) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(DRAIN_PERIOD_MILLIS));
          }
        }
      } catch (Throwable t) {
        backoffMillis = backoffMillis == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, 2 * backoffMillis);
        recover(t, backoffMillis);
      }
    }
    try {
      recorder.deactivate(); // hooks stop taking events; what they took is drained now
      step();
      seal(HourBucket.ofEpochMillis(clockMillis.getAsLong()));
    } catch (Throwable t) {
      dev.keywarm.agent.log.AgentLog.warn("aggregator: last drain failed: " + t);
    }
  }

  private void recover(Throwable error, long backoffMillis) {
    long restart = restarts.incrementAndGet();
    long reads = 0;
    long writes = 0;
    try {
      WindowSnapshot lost = summary.snapshotAndReset(summary.hour(), 0, 0, pairs);
      reads = lost.keyedReads() + lost.totals().droppedHits() + lost.totals().droppedMisses();
      writes = lost.keyedWrites() + lost.totals().droppedWrites();
    } catch (Throwable ignored) {
      // the summary is unreadable: its events stay uncounted, the restart itself is counted
    }
    summary = null;
    pairs = null;
    coAccess = null;
    recorder.countLost(reads, writes);
    dev.keywarm.agent.log.AgentLog.warn(
        "aggregator: internal error ("
            + error
            + "); "
            + (reads + writes)
            + " events of the current window counted as lost; recording resumes in "
            + backoffMillis / 1000
            + " s (restart "
            + restart
            + ")");
    long resumeAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
    while (!stopping && System.nanoTime() - resumeAt < 0) {
      LockSupport.parkNanos(resumeAt - System.nanoTime());
    }
    try {
      freshSummaries(HourBucket.ofEpochMillis(clockMillis.getAsLong()));
      nextSealNanos = System.nanoTime() + flushIntervalNanos;
    } catch (Throwable t) {
      // no memory even for empty summaries: the next round of the loop fails and backs off again
    }
  }

  /** One drain; seals first if the hour turned, and after if the window is due. */
  int step() {
    long nowMillis = clockMillis.getAsLong();
    recorder.tick(nowMillis);
    if (Math.floorDiv(nowMillis, MILLIS_PER_HOUR) != summary.hour().epochHour()) {
      seal(HourBucket.ofEpochMillis(nowMillis));
    }
    long nowNanos = System.nanoTime();
    if (nowNanos - pairPeriodStartNanos >= TimeUnit.MILLISECONDS.toNanos(DRAIN_PERIOD_MILLIS)) {
      pairPeriodStartNanos = nowNanos;
      pairedThisPeriod = 0;
    }
    int drained = recorder.drain(sink);
    if (!drainedInvalidations.isEmpty()) {
      // stamped after the drain: never earlier than the call that wrote, deleted or failed
      invalidations.addAll(drainedInvalidations, clockMillis.getAsLong());
      drainedInvalidations.clear();
    }
    recorded.addAndGet(drained);
    trackedKeys = summary.size();
    if (System.nanoTime() - nextSealNanos >= 0) {
      seal(HourBucket.ofEpochMillis(nowMillis));
    }
    return drained;
  }

  private void seal(HourBucket next) {
    nextSealNanos = System.nanoTime() + flushIntervalNanos;
    long lost = recorder.lostEvents();
    long lostReads = recorder.lostReads();
    WindowSnapshot snapshot =
        summary.snapshotAndReset(
            next, lost - lostAtLastSeal, lostReads - lostReadsAtLastSeal, pairs);
    long lostBefore = lostAtLastSeal;
    long lostReadsBefore = lostReadsAtLastSeal;
    lostAtLastSeal = lost;
    lostReadsAtLastSeal = lostReads;
    if (!snapshot.isEmpty()) {
      try {
        output.accept(privacy.apply(snapshot));
      } catch (Throwable t) {
        // the window's lost counts go with the next window instead
        lostAtLastSeal = lostBefore;
        lostReadsAtLastSeal = lostReadsBefore;
        recorder.countLost(
            snapshot.keyedReads()
                + snapshot.totals().droppedHits()
                + snapshot.totals().droppedMisses(),
            snapshot.keyedWrites() + snapshot.totals().droppedWrites());
        throw t;
      }
    }
    afterSeal.run();
  }

  /**
   * Stops the thread after a last drain and seal; waits at most {@code timeoutMillis}. True when
   * the thread has ended (its last window is with the flusher).
   */
  public boolean stop(long timeoutMillis) throws InterruptedException {
    stopping = true;
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running);
      running.join(Math.max(1, timeoutMillis));
      return !running.isAlive();
    }
    return true;
  }

  /** Times an internal error discarded a window and recording resumed after a back-off. */
  public long restarts() {
    return restarts.get();
  }

  /** Events drained into summaries since start. */
  public long recordedEvents() {
    return recorded.get();
  }

  public int trackedKeys() {
    return trackedKeys;
  }
}
