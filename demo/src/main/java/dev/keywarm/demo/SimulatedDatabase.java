package dev.keywarm.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The shop's database, simulated so that it degrades under load the way a real one does:
 *
 * <ul>
 *   <li><b>A queue in front of a fixed pool.</b> At most {@link #CONNECTIONS} queries run at once
 *       (the connection pool); the rest wait in FIFO order, and a caller gives up when its deadline
 *       passes in the queue ({@link Timeout}, like a pool's connection timeout).
 *   <li><b>Contention.</b> A query's service time is {@link #BASE_MICROS} + {@link #ROW_MICROS} per
 *       row, stretched by {@code 1 + }{@link #CONTENTION}{@code × (queries running − 1)} at the
 *       moment it starts: locks, buffer-pool misses and context switches make each query slower as
 *       more run at once. So throughput grows sublinearly with concurrency and caps at {@link
 *       #CAPACITY_PER_SECOND} single-row queries/s with every connection busy.
 * </ul>
 *
 * Past that capacity the queue grows without bound and every waiting request's latency with it: a
 * cold cache's herd. Measured alone ({@code java -jar demo/target/keywarm-demo.jar --db-curve},
 * open-loop arrivals, 250 ms deadline; figures in the README): latency stays near the service time
 * up to about 80 % of capacity, then the queue takes over.
 *
 * <p>One instance per JVM, shared by the shop's cache-aside reads (one row per query) and by its
 * warm loader (up to {@link ShopLoaders#BATCH} rows per query, {@code WHERE id IN (…)}, no
 * deadline), so the counts include both.
 */
final class SimulatedDatabase {

  static final int CONNECTIONS = 8;
  static final long BASE_MICROS = 2_000;
  static final long ROW_MICROS = 20;
  static final double CONTENTION = 0.12;

  /** Single-row queries per second with every connection busy (and no more can run). */
  static final long CAPACITY_PER_SECOND =
      Math.round(
          CONNECTIONS
              * 1_000_000.0
              / ((BASE_MICROS + ROW_MICROS) * (1 + CONTENTION * (CONNECTIONS - 1))));

  private static final SimulatedDatabase SHARED = new SimulatedDatabase();

  /** A query that did not get a connection before its caller's deadline. */
  static final class Timeout extends Exception {
    Timeout() {
      super("no database connection before the deadline", null, false, false);
    }
  }

  private final Semaphore pool = new Semaphore(CONNECTIONS, true);
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger peakWaiting = new AtomicInteger();
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();

  static SimulatedDatabase shared() {
    return SHARED;
  }

  /**
   * The row behind a cache key such as {@code product:42:detail} or {@code deal:21:7}, or null if
   * there is none.
   */
  byte[] load(String key, long deadlineNanos) throws InterruptedException, Timeout {
    return loadAll(List.of(key), deadlineNanos).get(0);
  }

  /** The rows behind several keys, in one query without deadline; null where there is none. */
  List<byte[]> loadAll(List<String> keys) throws InterruptedException {
    try {
      return loadAll(keys, Long.MAX_VALUE);
    } catch (Timeout e) {
      throw new AssertionError("no deadline, no timeout", e);
    }
  }

  /**
   * The rows behind several keys, in one query; gives up with {@link Timeout} if no connection is
   * free before {@code deadlineNanos} ({@link System#nanoTime()}; {@code Long.MAX_VALUE}: none).
   */
  List<byte[]> loadAll(List<String> keys, long deadlineNanos) throws InterruptedException, Timeout {
    peakWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
    boolean admitted;
    try {
      admitted =
          deadlineNanos == Long.MAX_VALUE
              ? acquire()
              : pool.tryAcquire(
                  Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } finally {
      waiting.decrementAndGet();
    }
    if (!admitted) {
      timeouts.incrementAndGet();
      throw new Timeout();
    }
    try {
      int concurrent = running.incrementAndGet();
      double stretch = 1 + CONTENTION * (concurrent - 1);
      sleepNanos(Math.round((BASE_MICROS + keys.size() * ROW_MICROS) * stretch * 1_000));
      queries.incrementAndGet();
      rows.addAndGet(keys.size());
    } finally {
      running.decrementAndGet();
      pool.release();
    }
    List<byte[]> found = new ArrayList<>(keys.size());
    for (String key : keys) {
      found.add(row(key));
    }
    return found;
  }

  long queries() {
    return queries.get();
  }

  long rows() {
    return rows.get();
  }

  long timeouts() {
    return timeouts.get();
  }

  /** The most queries waiting for a connection at once since the last call. */
  int takePeakWaiting() {
    return peakWaiting.getAndSet(waiting.get());
  }

  private boolean acquire() throws InterruptedException {
    pool.acquire();
    return true;
  }

  private static byte[] row(String key) {
    String[] parts = key.split(":");
    if (parts.length == 3 && parts[0].equals("deal")) {
      return ("{\"deal\":" + parts[2] + ",\"hour\":\"" + parts[1] + ":00\"}")
          .getBytes(StandardCharsets.UTF_8);
    }
    if (parts.length != 3 || !parts[0].equals("product")) {
      return null;
    }
    String row =
        switch (parts[2]) {
          case "detail" -> "{\"id\":" + parts[1] + ",\"name\":\"product " + parts[1] + "\"}";
          case "price" ->
              "{\"id\":" + parts[1] + ",\"price\":" + (parts[1].hashCode() % 100 + 1) + "}";
          default -> null;
        };
    return row == null ? null : row.getBytes(StandardCharsets.UTF_8);
  }

  /** Thread.sleep rounds to whole milliseconds; a query of many rows takes a fraction more. */
  private static void sleepNanos(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(left);
    }
  }
}
