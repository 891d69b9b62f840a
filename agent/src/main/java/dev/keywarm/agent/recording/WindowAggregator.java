package dev.keywarm.agent.recording;

import dev.keywarm.schema.HourBucket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The aggregator thread: drains the recording rings into a bounded {@link KeySummary} for the
 * current UTC hour and, every flush interval or when the hour turns, seals it into a
 * {@link WindowSnapshot} for the flusher. It never touches the network, so a slow stats Redis cannot
 * back up the rings.
 *
 * <p>Events are assigned to the hour in which they are drained: at most one drain period
 * ({@value #DRAIN_PERIOD_MILLIS} ms, less when a ring fills) after the call itself.
 */
public final class WindowAggregator implements Runnable {

  static final long DRAIN_PERIOD_MILLIS = 20;
  /**
   * Reads paired per drain period, at most: pairing costs up to {@code pairkeys} summary updates per
   * read, so past ~100 000 reads/s (far beyond one JVM's usual Redis traffic) pairs are sampled —
   * counts never are — and the aggregator keeps up instead of letting the buffers overflow.
   */
  static final int PAIRED_READS_PER_PERIOD = 2_048;
  private static final long MILLIS_PER_HOUR = 3_600_000L;

  private final Recorder recorder;
  private final long flushIntervalNanos;
  private final Consumer<WindowSnapshot> output;
  private final KeyPrivacy privacy;
  private final LongSupplier clockMillis;
  private final KeySummary summary;
  private final PairSummary pairs;
  private final CoAccessTracker coAccess;
  private final AtomicLong recorded = new AtomicLong();
  private final EventSink sink;
  private volatile boolean stopping;
  private volatile int trackedKeys;
  private long lostAtLastSeal;
  private int pairedThisPeriod;
  private long pairPeriodStartNanos;
  private long nextSealNanos;
  private Thread thread;

  /**
   * @param pairWindowKeys reads of one thread remembered for pairing (0: no co-access pairs)
   * @param pairWindowMillis how far back a read pairs with a later one
   * @param maxPairs pairs tracked per window
   */
  public WindowAggregator(Recorder recorder, int maxKeys, long flushIntervalNanos,
      int pairWindowKeys, long pairWindowMillis, int maxPairs, KeyPrivacy privacy,
      Consumer<WindowSnapshot> output, LongSupplier clockMillis) {
    this.recorder = recorder;
    this.privacy = privacy;
    this.flushIntervalNanos = flushIntervalNanos;
    this.output = output;
    this.clockMillis = clockMillis;
    this.summary = new KeySummary(maxKeys, HourBucket.ofEpochMillis(clockMillis.getAsLong()));
    this.pairs = new PairSummary(pairWindowKeys > 0 ? maxPairs : 0);
    this.coAccess = new CoAccessTracker(pairWindowKeys, pairWindowMillis, pairs);
    this.sink = coAccess.isEnabled() ? this::countAndPair : summary::add;
  }

  private void countAndPair(byte[] key, byte kind, long value) {
    int entry = summary.add(key, kind, value);
    if (entry >= 0 && (kind == EventKind.HIT || kind == EventKind.MISS)
        && pairedThisPeriod++ < PAIRED_READS_PER_PERIOD) {
      coAccess.read((int) (value >>> 32), value & 0xFFFF_FFFFL, summary.member(entry),
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

  @Override
  public void run() {
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
      dev.keywarm.agent.log.AgentLog.warn("aggregator stopped after an internal error: " + t);
    } finally {
      step();
      seal(HourBucket.ofEpochMillis(clockMillis.getAsLong()));
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
    WindowSnapshot snapshot = summary.snapshotAndReset(next, lost - lostAtLastSeal, pairs);
    lostAtLastSeal = lost;
    if (!snapshot.isEmpty()) {
      output.accept(privacy.apply(snapshot));
    }
  }

  /** Stops the thread after a last drain and seal; waits at most {@code timeoutMillis}. */
  public void stop(long timeoutMillis) throws InterruptedException {
    stopping = true;
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running);
      running.join(Math.max(1, timeoutMillis));
    }
  }

  /** Events drained into summaries since start. */
  public long recordedEvents() {
    return recorded.get();
  }

  public int trackedKeys() {
    return trackedKeys;
  }
}
