package dev.keywarm.demo;

import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The sample application: a product service that reads through a cache-aside layer on Jedis (or
 * Lettuce: {@link ShopCache}), backed by a {@link SimulatedDatabase} (2 ms per query, 8 queries at
 * once). A request reads a product's detail and, four times in five, its price right after
 * (correlated keys); one in ten also writes a one-off session key, as real traffic does; each
 * worker pauses {@link #THINK_MICROS} between requests, so the shop is busy but does not own the
 * CPU. Popularity follows {@link ShopWorkload}. It knows nothing of keywarm: the agent is attached
 * from outside, and its warm loader is {@link ShopLoaders}.
 *
 * <p>Args: host port seconds threads [hourMillis [jedis|lettuce]]. Prints one line a second for the
 * demo to read: {@code tick <second> reads=… hits=… errors=… queries=… rows=… warmrows=…}
 * (cumulative counts; queries and rows are the database's, warmrows the rows keywarm's warm
 * loaded).
 */
public final class ShopApp {

  static final int TTL_SECONDS = 600;
  static final long THINK_MICROS = 500;

  private final ShopCache cache;
  private final SimulatedDatabase database = SimulatedDatabase.shared();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  private ShopApp(ShopCache cache) {
    this.cache = cache;
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    int threads = Integer.parseInt(args[3]);
    ShopWorkload workload = new ShopWorkload(args.length > 4 ? Long.parseLong(args[4]) : 3_600_000);
    AtomicBoolean running = new AtomicBoolean(true);
    String client = args.length > 5 ? args[5] : "jedis";
    try (ShopCache cache = ShopCache.connect(client, host, port)) {
      ShopApp shop = new ShopApp(cache);
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        Random random = new Random(t);
        workers[t] =
            new Thread(
                () -> {
                  while (running.get()) {
                    shop.request(random, workload.product(random, System.currentTimeMillis()));
                    LockSupport.parkNanos(THINK_MICROS * 1_000);
                  }
                },
                "shop-worker-" + t);
        workers[t].start();
      }
      long start = System.nanoTime();
      for (int second = 1; second <= seconds; second++) {
        // ticks on the second boundary since start, however long printing took
        long sleep = start + second * 1_000_000_000L - System.nanoTime();
        Thread.sleep(Math.max(0, sleep / 1_000_000));
        System.out.printf(
            "tick %d reads=%d hits=%d errors=%d queries=%d rows=%d warmrows=%d%n",
            second,
            shop.reads.get(),
            shop.hits.get(),
            shop.errors.get(),
            shop.database.queries(),
            shop.database.rows(),
            ShopLoaders.WARM_LOADS.get());
      }
      running.set(false);
      for (Thread worker : workers) {
        worker.join();
      }
    }
  }

  private void request(Random random, int product) {
    try {
      read("product:" + product + ":detail");
      if (random.nextInt(5) != 0) {
        read("product:" + product + ":price");
      }
      if (random.nextInt(10) == 0) {
        cache.setex(("session:" + UUID.randomUUID()).getBytes(), 60, "cart".getBytes());
      }
    } catch (JedisException | io.lettuce.core.RedisException e) {
      // the cache is down (the demo restarts it): count it and back off briefly, as a client would
      errors.incrementAndGet();
      sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Cache-aside: GET, and on a miss load from the database and SETEX. */
  private void read(String key) throws InterruptedException {
    byte[] value = cache.get(key.getBytes());
    reads.incrementAndGet();
    if (value != null) {
      hits.incrementAndGet();
      return;
    }
    byte[] row = database.load(key);
    if (row != null) {
      cache.setex(key.getBytes(), TTL_SECONDS, row);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
