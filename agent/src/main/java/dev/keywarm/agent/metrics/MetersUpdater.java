package dev.keywarm.agent.metrics;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.recording.WindowSnapshot;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters' own thread ({@code keywarm-meters}): takes sealed windows from the aggregator and
 * adds them to the {@link PatternMeters}, so that patterning every key of a window (a regex or two
 * each, once per key and window) never delays draining the recording rings, and a slow or absent
 * stats Redis never delays the meters. The hand-over is bounded and never blocks: a window that
 * does not fit is dropped and counted ({@link #dropped()}). After each window, and at least every
 * second, the listener runs (the Micrometer bridge registers new patterns' meters there).
 */
public final class MetersUpdater {

  private final PatternMeters meters;
  private final BlockingQueue<WindowSnapshot> windows = new ArrayBlockingQueue<>(8);
  private final AtomicLong dropped = new AtomicLong();
  private volatile Runnable afterWindow = () -> {};
  private volatile boolean retired;
  private long listenedNanos;
  private static final long LISTEN_NANOS = 1_000_000_000L;
  private final Thread thread;

  public MetersUpdater(PatternMeters meters) {
    this.meters = meters;
    this.thread = new Thread(this::run, "keywarm-meters");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** A sealed window (the aggregator's output); returns at once. */
  public void offer(WindowSnapshot window) {
    if (!retired && !windows.offer(window)) {
      dropped.incrementAndGet();
    }
  }

  /** Runs on the meters thread after every window. */
  public void afterWindow(Runnable listener) {
    afterWindow = listener;
  }

  /** Nobody reads the meters: the thread ends, offers are ignored. */
  public void retire() {
    retired = true;
    windows.clear();
  }

  /** Windows not counted because the meters thread fell behind. */
  public long dropped() {
    return dropped.get();
  }

  private void run() {
    while (!retired) {
      try {
        WindowSnapshot window = windows.poll(100, TimeUnit.MILLISECONDS);
        if (window != null) {
          meters.add(window);
        }
        long now = System.nanoTime();
        if (window != null || now - listenedNanos >= LISTEN_NANOS) {
          listenedNanos = now; // also when idle: a registry may become ready between windows
          afterWindow.run();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        AgentLog.warn("meters: " + t); // the window is lost to the meters, never the thread
      }
    }
  }
}
