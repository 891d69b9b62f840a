package dev.keywarm.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shop's database, simulated: every query really takes {@link #LOAD_MILLIS} plus {@link
 * #ROW_MICROS} per row, and at most {@link #MAX_CONCURRENT} queries run at once (a connection
 * pool), so a cold cache queues requests behind it the way a real one does. One instance per JVM,
 * shared by the shop's cache-aside reads (one row per query) and by its warm loader (up to {@link
 * ShopLoaders#BATCH} rows per query, {@code WHERE id IN (…)}), so the counts include both.
 */
final class SimulatedDatabase {

  static final long LOAD_MILLIS = 2;
  static final long ROW_MICROS = 20;
  static final int MAX_CONCURRENT = 8;

  /** What the pool can serve at most: single-row queries per second. */
  static final long CAPACITY_PER_SECOND = MAX_CONCURRENT * 1000 / LOAD_MILLIS;

  private static final SimulatedDatabase SHARED = new SimulatedDatabase();

  private final Semaphore pool = new Semaphore(MAX_CONCURRENT, true);
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();

  static SimulatedDatabase shared() {
    return SHARED;
  }

  /** The row behind a cache key such as {@code product:42:detail}, or null if there is none. */
  byte[] load(String key) throws InterruptedException {
    return loadAll(List.of(key)).get(0);
  }

  /** The rows behind several keys, in one query; null where there is none. */
  List<byte[]> loadAll(List<String> keys) throws InterruptedException {
    pool.acquire();
    try {
      sleepNanos(LOAD_MILLIS * 1_000_000 + keys.size() * ROW_MICROS * 1_000);
      queries.incrementAndGet();
      rows.addAndGet(keys.size());
    } finally {
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

  private static byte[] row(String key) {
    String[] parts = key.split(":");
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
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }
}
