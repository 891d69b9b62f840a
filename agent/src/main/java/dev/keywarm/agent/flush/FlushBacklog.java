package dev.keywarm.agent.flush;

import dev.keywarm.agent.recording.WindowSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sealed windows waiting for the stats Redis, bounded by key entries and by heap bytes. A window of
 * the same hour as the newest waiting one is merged into it, so an outage costs the hour's distinct
 * keys rather than a copy per window. Past a bound the oldest window is cut — pairs first, then its
 * coldest keys — and what the cut keys counted is carried in its unwritten totals, written with the
 * window's meta once the stats Redis is back: the hottest keys are never dropped for a window's
 * size, and nothing is dropped uncounted. Thread-safe (aggregator submits, flusher takes).
 */
final class FlushBacklog {

  private final int maxEntries;
  private final long maxBytes;
  private final ArrayDeque<WindowSnapshot> queue = new ArrayDeque<>();
  private long entries;
  private long bytes;

  /** The newest window came alone from the aggregator, not from a merge. */
  private boolean newestIsFresh;

  private final AtomicLong unwrittenEvents = new AtomicLong();

  FlushBacklog(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  synchronized void add(WindowSnapshot window) {
    WindowSnapshot last = queue.peekLast();
    boolean merging = last != null && last.hour().equals(window.hour());
    // merged first, taken out after: a merge that fails (out of memory) leaves the backlog whole
    WindowSnapshot added = merging ? last.merge(window) : window;
    if (merging) {
      queue.pollLast();
      remove(last);
    }
    queue.addLast(added);
    entries += added.size();
    bytes += added.heapBytes();
    newestIsFresh = !merging;
    enforceBounds();
  }

  /**
   * Cuts windows, oldest first, until the bounds hold. A fresh window that waits alone is never
   * cut: the key summary already bounds it (in keys and key bytes), so with a healthy stats Redis
   * nothing is cut; merged windows — an outage — and older ones are. Computed aside and committed
   * at the end, so a failure part-way leaves counters and queue as they were.
   */
  private void enforceBounds() {
    List<WindowSnapshot> windows = new ArrayList<>(queue);
    int cuttable = newestIsFresh ? windows.size() - 1 : windows.size();
    long newEntries = entries;
    long newBytes = bytes;
    long newlyUnwritten = 0;
    for (int i = 0; i < cuttable && (newEntries > maxEntries || newBytes > maxBytes); i++) {
      WindowSnapshot window = windows.get(i);
      long keepEntries = Math.max(0, window.size() - Math.max(0, newEntries - maxEntries));
      long keepBytes = Math.max(0, window.heapBytes() - Math.max(0, newBytes - maxBytes));
      WindowSnapshot cut = window.trimTo((int) keepEntries, keepBytes);
      newEntries += cut.size() - window.size();
      newBytes += cut.heapBytes() - window.heapBytes();
      newlyUnwritten +=
          cut.totals().unwrittenReads()
              + cut.totals().unwrittenWrites()
              - window.totals().unwrittenReads()
              - window.totals().unwrittenWrites();
      windows.set(i, cut);
    }
    queue.clear();
    queue.addAll(windows);
    entries = newEntries;
    bytes = newBytes;
    unwrittenEvents.addAndGet(newlyUnwritten);
  }

  private void remove(WindowSnapshot window) {
    entries -= window.size();
    bytes -= window.heapBytes();
  }

  /** The oldest waiting window, taken out; null if none. */
  synchronized WindowSnapshot poll() {
    WindowSnapshot window = queue.pollFirst();
    if (window != null) {
      remove(window);
    }
    return window;
  }

  /** Every waiting window, taken out. */
  synchronized List<WindowSnapshot> drainAll() {
    List<WindowSnapshot> all = new ArrayList<>(queue);
    queue.clear();
    entries = 0;
    bytes = 0;
    return all;
  }

  synchronized boolean isEmpty() {
    return queue.isEmpty();
  }

  synchronized long entries() {
    return entries;
  }

  /** Events cut from the backlog since start (counted in the windows' unwritten totals). */
  long unwrittenEvents() {
    return unwrittenEvents.get();
  }
}
