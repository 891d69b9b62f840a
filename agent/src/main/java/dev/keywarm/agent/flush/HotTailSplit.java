package dev.keywarm.agent.flush;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.recording.EventKind;
import dev.keywarm.agent.recording.TailTable;
import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.schema.HourBucket;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Between the aggregator and the flusher: each sealed window's {@code hotkeys} heaviest keys (hits
 * + misses + writes) go to the flusher at once with their exact counts, loads and TTLs, and with
 * the window's totals; the rest of its keys, and all its co-access pairs, are merged into a {@link
 * TailTable} for the hour, which goes to the flusher as one window every {@code tailflush}, when
 * the UTC hour turns (for its own hour, before anything of the next is merged) and on exit ({@link
 * #drainTail}). Why: under a Zipf workload a window holds ~100 000 keys that each cost a {@code
 * ZINCRBY} per counter, most of them read a few times; written once per tail interval instead of
 * once per window, the tail costs 1/60 of the commands at the defaults (10 s, 10 min) and the stats
 * traffic falls below 1 command per 100 application commands (README, {@code TailSplitMain}).
 * Defaults: at 100 000 commands/s a window is 1 M commands, a budget of 10 000; 1000 hot keys cost
 * 1000-2000 of it (mostly one {@code ZINCRBY} each: hot keys hit); a full tail of {@code maxkeys} =
 * 100 000 keys costs up to ~5 commands a key (a tail key is often a miss, a write, a load and a
 * TTL), 500 000 per tail, so a tail every 10 min (60 M commands) adds at most ~0.8 per 100.
 *
 * <p>Exactness: every count of a window reaches the flusher exactly once — with the hot part now,
 * or with the tail later — or, when the tail table evicts a key, in the tail's {@code dropped_*}
 * totals. Hours never mix: a window of another hour first empties the table. A key's TTL stays the
 * latest word: a hot key that carries one withdraws the table's older one.
 *
 * <p>Staleness: a reader of the live hour sees each window's hot keys within a flush interval, and
 * the tail's counts up to {@code tailflush} late (a key's live count is then a lower bound); an
 * ended hour is complete once its tail is written, within a flush interval of the turn. A JVM
 * killed without its shutdown hook loses up to {@code tailflush} of tail counts, uncounted (the
 * windows it would lose anyway: one).
 *
 * <p>Cost: runs on the aggregator thread, never touches the network and never throws. Per window
 * O(n) for n keys (a selection of the heaviest, no sort) with no allocation beyond the hot window
 * itself; heap bounded by the table ({@link TailTable}: about 88 bytes per key plus at most {@code
 * keybytes} of key bytes, up to {@code maxkeys} keys; pairs up to {@code maxpairs}) and one reused
 * index of {@code maxkeys} ints and longs. An internal error (an OutOfMemoryError the application
 * caused) hands the window whole to the flusher and discards the table, whose held counts become
 * lost counts of its hour: nothing is counted twice, nothing disappears uncounted.
 */
public final class HotTailSplit implements Consumer<WindowSnapshot> {

  /**
   * One hot key per this many events of a window, at most: a hot key costs one or two commands, so
   * the hot part stays within about 1 per 200 application commands whatever the instance's rate.
   */
  static final long HOT_SHARE_EVENTS = 200;

  /** Hot keys a window may always write, however few its events (its few heaviest). */
  static final int MIN_HOT = 16;

  private final int hotKeys;
  private final long tailMillis;
  private final TailTable tail;
  private final Consumer<WindowSnapshot> flusher;
  private final LongSupplier clockMillis;

  /** Reused per window: each entry's weight, then a scratch copy for the selection. */
  private long[] weights = new long[0];

  private long[] scratch = new long[0];
  private int[] hot = new int[0];

  /**
   * When the tail is due; it goes at the first seal within a tenth of {@code tailflush} before
   * that, so that seals a few ms early do not hold it a whole window longer (with {@code
   * tailflush=flush}, a tail every window, not every other one).
   */
  private long tailDueMillis;

  private long tailsWritten;
  private long failures;

  /**
   * @param hotKeys keys of each window written with it (the heaviest)
   * @param tailMillis how often the rest, merged, is written
   * @param flusher where windows go ({@link StatsFlusher#submit})
   */
  public HotTailSplit(
      int hotKeys,
      long tailMillis,
      TailTable tail,
      Consumer<WindowSnapshot> flusher,
      LongSupplier clockMillis) {
    this.hotKeys = hotKeys;
    this.tailMillis = tailMillis;
    this.tail = tail;
    this.flusher = flusher;
    this.clockMillis = clockMillis;
    this.tailDueMillis = clockMillis.getAsLong() + tailMillis;
  }

  @Override
  public synchronized void accept(WindowSnapshot window) {
    long heldReads = tail.heldReads();
    long heldWrites = tail.heldWrites();
    HourBucket heldHour = tail.hour();
    boolean submitted = false;
    try {
      long before = clockMillis.getAsLong();
      // due while its hour lasts; an ended hour's tail goes whole after its last window, below
      boolean due =
          !tail.isEmpty()
              && before - tailDueMillis >= -tailMillis / 10
              && HourBucket.ofEpochMillis(before).equals(heldHour);
      if (heldHour != null && (due || !heldHour.equals(window.hour()))) {
        // the hour turned (the tail goes for its own hour), or the tail is due: before this
        // window, so a tail holds tailflush of windows, not one more
        submitTail();
        heldReads = 0;
        heldWrites = 0;
        heldHour = null;
      }
      if (tail.isEmpty()) {
        tailDueMillis = clockMillis.getAsLong() + tailMillis; // no count waits longer than that
      }
      WindowSnapshot hotPart = split(window);
      submitted = true; // the table is whole again; the hot part is the flusher's
      if (!hotPart.isEmpty()) {
        flusher.accept(hotPart);
      }
      long now = clockMillis.getAsLong();
      if (now - tailDueMillis >= -tailMillis / 10
          || (tail.hour() != null && !HourBucket.ofEpochMillis(now).equals(tail.hour()))) {
        submitTail(); // the hour turned: its tail goes now, for its own hour
      }
    } catch (Throwable t) {
      failed(t, window, submitted, heldHour, heldReads, heldWrites);
    }
  }

  /**
   * Writes the tail if it is due or its hour has ended, without a window: called after every seal
   * ({@link dev.keywarm.agent.recording.WindowAggregator#afterEverySeal}), so a quiet application's
   * tail still goes on time.
   */
  public synchronized void tick() {
    try {
      long now = clockMillis.getAsLong();
      if (tail.hour() != null
          && (now - tailDueMillis >= -tailMillis / 10
              || !HourBucket.ofEpochMillis(now).equals(tail.hour()))) {
        submitTail();
      }
    } catch (Throwable t) {
      failures++;
      AgentLog.warn("tail: internal error handing the tail to the flusher: " + t);
    }
  }

  /** The hot part of {@code window}, to write now; its other keys and its pairs into the table. */
  private WindowSnapshot split(WindowSnapshot window) {
    int n = window.size();
    int k = Math.min(hotKeys, n);
    if (hot.length < n) {
      hot = new int[n];
      weights = new long[n];
      scratch = new long[n];
    }
    long[] hits = window.hits();
    long[] misses = window.misses();
    long[] writes = window.writes();
    long events = 0;
    for (int i = 0; i < n; i++) {
      weights[i] = hits[i] + misses[i] + writes[i];
      events += weights[i];
    }
    // at most one hot key per HOT_SHARE_EVENTS of the window's events: a small instance (a few
    // thousand commands a second) would otherwise spend more than its budget on hot keys each
    // window; the keys it leaves wait in the tail, exact all the same
    k = (int) Math.min(k, Math.max(MIN_HOT, events / HOT_SHARE_EVENTS));
    // the k-th heaviest weight: hotter keys all go, keys of exactly that weight until k are taken
    long cut = k == 0 ? Long.MAX_VALUE : Long.MIN_VALUE; // weights are below MAX_VALUE
    if (k > 0 && k < n) {
      System.arraycopy(weights, 0, scratch, 0, n);
      cut = kthLargest(scratch, n, k);
    }
    int above = 0;
    for (int i = 0; i < n; i++) {
      if (weights[i] > cut) {
        above++;
      }
    }
    int tiesLeft = k - above;
    int taken = 0;
    for (int i = 0; i < n; i++) {
      boolean isHot = weights[i] > cut || (weights[i] == cut && tiesLeft-- > 0);
      if (isHot) {
        hot[taken++] = i;
        if (window.ttls()[i] != EventKind.TTL_UNKNOWN) {
          tail.forgetTtl(window.members()[i]);
        }
      } else {
        tail.add(window, i);
      }
    }
    for (int p = 0; p < window.pairs().length; p++) {
      tail.addPair(window, p);
    }
    return taken == n && window.pairs().length == 0 ? window : hotWindow(window, taken);
  }

  private WindowSnapshot hotWindow(WindowSnapshot window, int taken) {
    byte[][] members = new byte[taken][];
    long[][] c = new long[7][taken];
    for (int j = 0; j < taken; j++) {
      int i = hot[j];
      members[j] = window.members()[i];
      c[0][j] = window.hits()[i];
      c[1][j] = window.misses()[i];
      c[2][j] = window.writes()[i];
      c[3][j] = window.loadNanos()[i];
      c[4][j] = window.loads()[i];
      c[5][j] = window.ttls()[i];
      c[6][j] = window.removals()[i];
    }
    return new WindowSnapshot(
        window.hour(),
        members,
        c[0],
        c[1],
        c[2],
        c[3],
        c[4],
        window.totals(),
        new byte[0][],
        new long[0],
        c[5],
        c[6]);
  }

  /**
   * The k-th largest of {@code a[0..n)} (1 ≤ k ≤ n), reordering {@code a}: Hoare's selection with a
   * middle pivot, expected O(n).
   */
  static long kthLargest(long[] a, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    int target = k - 1; // index in descending order
    while (lo < hi) {
      long pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] > pivot) {
          i++;
        }
        while (a[j] < pivot) {
          j--;
        }
        if (i <= j) {
          long t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (target <= j) {
        hi = j;
      } else if (target >= i) {
        lo = i;
      } else {
        return a[target];
      }
    }
    return a[target];
  }

  private void submitTail() {
    tailDueMillis = clockMillis.getAsLong() + tailMillis;
    WindowSnapshot held = tail.drain();
    if (held != null) {
      tailsWritten++;
      flusher.accept(held);
    }
  }

  /**
   * The JVM exits (after the aggregator's last window): the table to the flusher now, before its
   * final flush begins.
   */
  public synchronized void drainTail() {
    try {
      submitTail();
    } catch (Throwable t) {
      AgentLog.warn("tail: could not hand the last tail to the flusher: " + t);
    }
  }

  private void failed(
      Throwable error,
      WindowSnapshot window,
      boolean submitted,
      HourBucket heldHour,
      long heldReads,
      long heldWrites) {
    failures++;
    if (submitted) {
      // past the split the table is consistent: the error was the flusher's (out of memory)
      AgentLog.warn("tail: internal error handing a window to the flusher: " + error);
      return;
    }
    try {
      if (tail.hour() != null || heldHour != null) {
        tail.drain(); // half-merged: cannot be trusted; what it held before is counted as lost
      }
      if (heldHour != null && heldReads + heldWrites > 0) {
        flusher.accept(
            WindowSnapshot.totalsOnly(
                heldHour, new WindowTotals(0, 0, 0, heldReads + heldWrites, heldReads, 0, 0, 0)));
      }
      flusher.accept(window);
      AgentLog.warn(
          "tail: internal error ("
              + error
              + "); the window went to the flusher whole, "
              + (heldReads + heldWrites)
              + " events of the tail counted as lost");
    } catch (Throwable ignored) {
      // nothing more can be done on the aggregator thread; the flusher never saw a half
    }
  }

  /** Tail windows handed to the flusher since start. */
  public synchronized long tailsWritten() {
    return tailsWritten;
  }

  /** Keys the tail holds now. */
  public synchronized int tailKeys() {
    return tail.keys();
  }

  /** Internal errors since start. */
  public synchronized long failures() {
    return failures;
  }
}
