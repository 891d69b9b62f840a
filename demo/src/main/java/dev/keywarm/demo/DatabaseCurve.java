package dev.keywarm.demo;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The simulated database alone ({@code java -jar demo/target/keywarm-demo.jar --db-curve}):
 * single-row queries arriving open-loop (Poisson) at rising rates, each with the shop's deadline,
 * served by as many threads as the shop has; per rate the queries/s it achieved, latency from
 * arrival (p50, p99, max) and the share that timed out. A benchmark command, not a test: its
 * figures are in the README.
 */
final class DatabaseCurve {

  private static final int SECONDS = 3;
  private static final List<Integer> RATES =
      List.of(250, 500, 1_000, 1_500, 1_750, 2_000, 2_250, 2_500, 3_000, 4_000);

  private DatabaseCurve() {}

  static void main() throws InterruptedException {
    System.out.printf(
        "simulated database: %d connections, %.1f ms per query, contention %.2f per other running"
            + " query; capacity %,d queries/s; deadline %d ms; %d s per rate, open-loop%n",
        SimulatedDatabase.CONNECTIONS,
        SimulatedDatabase.BASE_MICROS / 1000.0,
        SimulatedDatabase.CONTENTION,
        SimulatedDatabase.CAPACITY_PER_SECOND,
        ShopApp.TIMEOUT_MILLIS,
        SECONDS);
    System.out.printf(
        "%12s %12s %10s %10s %10s %10s%n",
        "offered q/s", "served q/s", "p50 ms", "p99 ms", "max ms", "timed out");
    for (int rate : RATES) {
      measure(rate);
    }
  }

  private static void measure(int rate) throws InterruptedException {
    SimulatedDatabase database = new SimulatedDatabase();
    Histogram latency = new Histogram(3);
    AtomicLong timeouts = new AtomicLong();
    AtomicLong offered = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(ShopApp.WORKERS);
    Random random = new Random(7);
    long start = System.nanoTime();
    long end = start + SECONDS * 1_000_000_000L;
    long deadlineNanos = ShopApp.TIMEOUT_MILLIS * 1_000_000;
    for (long due = start; due < end; ) {
      long now = System.nanoTime();
      if (due > now) {
        LockSupport.parkNanos(due - now);
        continue;
      }
      long arrival = due;
      offered.incrementAndGet();
      threads.execute(
          () -> {
            try {
              database.load("product:1:detail", arrival + deadlineNanos);
            } catch (SimulatedDatabase.Timeout e) {
              timeouts.incrementAndGet();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            synchronized (latency) {
              latency.recordValue((System.nanoTime() - arrival) / 1_000);
            }
          });
      due += Math.round(-Math.log(1 - random.nextDouble()) / rate * 1e9);
    }
    threads.shutdown();
    threads.awaitTermination(1, TimeUnit.MINUTES);
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%,12d %,12.0f %10.2f %10.2f %10.1f %9.1f %%%n",
        rate,
        database.queries() / elapsed,
        latency.getValueAtPercentile(50) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0,
        latency.getMaxValue() / 1000.0,
        100.0 * timeouts.get() / offered.get());
  }
}
