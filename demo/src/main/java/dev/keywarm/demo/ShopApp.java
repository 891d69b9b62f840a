package dev.keywarm.demo;

import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.JedisPooled;

/**
 * The sample application: a product service that reads through a cache-aside layer on Jedis, backed
 * by a simulated database (2 ms per load). Product popularity follows a Zipf law (s = 1.0 over 5,000
 * products), and one request in ten also touches a one-off session key, as real traffic does. It
 * knows nothing of keywarm: the agent is attached from outside.
 *
 * <p>Args: host port seconds threads
 */
public final class ShopApp {

  static final int PRODUCTS = 5_000;
  static final long DATABASE_LOAD_MILLIS = 2;

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    int threads = Integer.parseInt(args[3]);
    ZipfSampler popularity = new ZipfSampler(PRODUCTS, 1.0);
    AtomicLong reads = new AtomicLong();
    AtomicLong hits = new AtomicLong();
    long endAt = System.nanoTime() + seconds * 1_000_000_000L;
    try (JedisPooled cache = new JedisPooled(host, port)) {
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        long seed = t;
        workers[t] = new Thread(() -> {
          Random random = new Random(seed);
          while (System.nanoTime() < endAt) {
            String key = "product:" + popularity.sample(random) + ":detail";
            reads.incrementAndGet();
            if (cache.get(key) != null) {
              hits.incrementAndGet();
            } else {
              cache.setex(key, 300, loadFromDatabase(key));
            }
            if (random.nextInt(10) == 0) {
              cache.setex("session:" + UUID.randomUUID(), 60, "cart");
            }
          }
        }, "shop-worker-" + t);
        workers[t].start();
      }
      for (int second = 1; second <= seconds; second++) {
        Thread.sleep(1000);
        long r = reads.get();
        System.out.printf("  shop: %2d s  %,8d reads  hit rate %5.1f %%%n", second, r,
            r == 0 ? 0.0 : 100.0 * hits.get() / r);
      }
      for (Thread worker : workers) {
        worker.join();
      }
    }
  }

  private static String loadFromDatabase(String key) {
    try {
      Thread.sleep(DATABASE_LOAD_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "{\"key\":\"" + key + "\",\"price\":42}";
  }

  /** Draws ranks 1..n with probability proportional to 1/rank^s (inverse CDF, binary search). */
  static final class ZipfSampler {
    private final double[] cumulative;

    ZipfSampler(int n, double s) {
      cumulative = new double[n];
      double sum = 0;
      for (int rank = 1; rank <= n; rank++) {
        sum += 1.0 / Math.pow(rank, s);
        cumulative[rank - 1] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
    }

    int sample(Random random) {
      double u = random.nextDouble();
      int low = 0;
      int high = cumulative.length - 1;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (cumulative[mid] < u) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low + 1;
    }
  }
}
