package dev.keywarm.agent.recording;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The request-path half of recording: striped {@link EventRing}s that hooks write events into, and
 * nothing else. Each thread is given a stripe round-robin when it first records, so threads rarely
 * share a ring and never share a lock; the aggregator thread drains all stripes.
 *
 * <p>Cost per event on the calling thread: one thread-local lookup, one CAS and five plain stores;
 * no allocation (the key bytes are the client's own array, referenced until drained). Events that
 * find their ring full are dropped and counted ({@link #lostEvents()}), never waited for.
 */
public final class Recorder {

  private static volatile Recorder active;

  /** Recent misses remembered for timing loads; ~4 loads in flight per slot before they collide. */
  private static final int MISS_SLOTS = 16_384;

  private final EventRing[] rings;
  private final AtomicInteger nextRing = new AtomicInteger();
  private final AtomicInteger nextTag = new AtomicInteger();

  /**
   * A clock the aggregator advances every drain: a read costs a volatile load, not a clock call.
   */
  private volatile long coarseMillis = System.currentTimeMillis();

  private final ThreadLocal<ThreadRecorder> threads;
  private final LongAdder lost = new LongAdder();
  private final LongAdder lostReads = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder lostInvalidations = new LongAdder();
  private volatile boolean recordsInvalidations;
  private volatile boolean recordsDeletes;
  private final MissTimes missTimes;
  private final CommandOrigins origins = new CommandOrigins();
  private volatile Thread consumer;
  private volatile Runnable failureCue;

  public Recorder(int stripes, int slotsPerStripe, long loadWindowNanos) {
    int stripeCount = Integer.highestOneBit(Math.max(1, stripes - 1)) << 1;
    int slots = Integer.highestOneBit(Math.max(64, slotsPerStripe - 1)) << 1;
    rings = new EventRing[stripeCount];
    for (int i = 0; i < stripeCount; i++) {
      rings[i] = new EventRing(slots);
    }
    missTimes = new MissTimes(MISS_SLOTS, loadWindowNanos);
    threads =
        ThreadLocal.withInitial(
            () ->
                new ThreadRecorder(
                    this,
                    rings[nextRing.getAndIncrement() & (rings.length - 1)],
                    nextTag.getAndIncrement()));
  }

  /** Two stripes per processor, at most 64: enough that threads seldom collide on one CAS. */
  public static int defaultStripes() {
    return Math.min(64, Runtime.getRuntime().availableProcessors() * 2);
  }

  /** Hooks record into this recorder from now on. */
  public void activate() {
    active = this;
  }

  /** Hooks stop recording (they stay installed and cost one volatile read). */
  public void deactivate() {
    if (active == this) {
      active = null;
    }
  }

  public boolean isActive() {
    return active == this;
  }

  static Recorder active() {
    return active;
  }

  ThreadRecorder threadRecorder() {
    return threads.get();
  }

  /** The thread that drains the rings; woken early when a ring fills past half. */
  public void consumer(Thread thread) {
    consumer = thread;
  }

  void wakeConsumer() {
    Thread thread = consumer;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  /** Events all stripes can hold together. */
  int capacity() {
    return rings.length * rings[0].capacity();
  }

  /** Drains every stripe into {@code sink}; aggregator thread only. Returns events drained. */
  public int drain(EventSink sink) {
    int total = 0;
    for (EventRing ring : rings) {
      total += ring.drain(sink, ring.capacity());
    }
    return total;
  }

  MissTimes missTimes() {
    return missTimes;
  }

  CommandOrigins origins() {
    return origins;
  }

  long coarseMillis() {
    return coarseMillis;
  }

  /** Advances the coarse clock; aggregator thread. */
  public void tick(long nowMillis) {
    coarseMillis = nowMillis;
  }

  void eventLost(boolean read) {
    lost.increment();
    if (read) {
      lostReads.increment();
    }
  }

  void commandFailed() {
    failed.increment();
    Runnable cue = failureCue;
    if (cue != null) {
      cue.run();
    }
  }

  /** Runs on the failing thread after each failed command; must be cheap and never throw. */
  public void onFailure(Runnable cue) {
    failureCue = cue;
  }

  /**
   * Hooks also record invalidations ({@link EventKind#INVALIDATE}: DEL, EXPIRE, failed writes) —
   * only the hot-set snapshot needs them.
   */
  public void recordInvalidations(boolean enabled) {
    recordsInvalidations = enabled;
  }

  boolean recordsInvalidations() {
    return recordsInvalidations;
  }

  /** Hooks also record deletes ({@code rewarm=on-delete}), even without the snapshot. */
  public void recordDeletes(boolean enabled) {
    recordsDeletes = enabled;
  }

  boolean recordsDeletes() {
    return recordsDeletes;
  }

  /** A write or invalidation whose key is unknown (lost, untracked, FLUSHALL). */
  public void invalidationLost() {
    lostInvalidations.increment();
  }

  /**
   * Writes and invalidations whose key is unknown since start: lost to a full ring or an internal
   * error. The snapshot cannot vouch for any value read before one of them.
   */
  public long unknownInvalidations() {
    return lostInvalidations.sum() + lost.sum() - lostReads.sum();
  }

  /** Events dropped because a ring was full, since start. */
  public long lostEvents() {
    return lost.sum();
  }

  /** Events taken but discarded later (a window lost to an internal error): counted as lost. */
  void countLost(long reads, long writes) {
    lost.add(reads + writes);
    lostReads.add(reads);
  }

  /** Of {@link #lostEvents()}, the reads. */
  public long lostReads() {
    return lostReads.sum();
  }

  /**
   * Recording has stopped and the aggregator has drained for the last time: whatever application
   * threads still put into the rings (a shutdown hook runs beside them) is counted as lost, so no
   * event the agent took disappears uncounted.
   */
  public WindowTotals discardRemaining() {
    deactivate();
    long[] late = new long[2];
    drain(
        (key, kind, value) -> {
          if (kind == EventKind.INVALIDATE || kind == EventKind.EXPIRY) {
            lostInvalidations.increment();
          } else if (kind != EventKind.LOAD) {
            boolean read = kind == EventKind.HIT || kind == EventKind.MISS;
            eventLost(read);
            late[0]++;
            late[1] += read ? 1 : 0;
          }
        });
    return new WindowTotals(0, 0, 0, late[0], late[1], 0, 0, 0);
  }

  /** Recorded commands that failed (error reply or exception): counted, neither hit nor miss. */
  public long failedCommands() {
    return failed.sum();
  }
}
