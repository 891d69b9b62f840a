package dev.keywarm.demo;

import java.util.Random;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * The dashboard preview's application: cache-aside traffic for a number of seconds on three key
 * patterns — {@code product:{n}} (Zipf-like reads of 2 000 ids, a 3 ms load per miss), {@code
 * user:{n}:profile} (500 ids, 8 ms loads) and {@code session:{hex}} (never found) — and a delete of
 * a product now and then. Args: host port seconds.
 */
public final class DashboardTraffic {

  private DashboardTraffic() {}

  public static void main(String[] args) throws Exception {
    long endAt = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    Random random = new Random(11);
    try (JedisPooled cache = new JedisPooled(args[0], Integer.parseInt(args[1]))) {
      for (long op = 0; System.nanoTime() < endAt; op++) {
        try {
          int product = (int) Math.min(1999, Math.pow(random.nextDouble(), 3) * 2000);
          read(cache, "product:" + product, 3);
          if (op % 3 == 0) {
            read(cache, "user:" + random.nextInt(500) + ":profile", 8);
          }
          if (op % 11 == 0) {
            cache.get("session:a" + Long.toHexString(random.nextLong() | 1L << 60));
          }
          if (op % 40 == 0) {
            cache.del("product:" + random.nextInt(50));
          }
        } catch (RuntimeException e) {
          // the cache restarting under us
        }
        Thread.sleep(1);
      }
    }
  }

  private static void read(JedisPooled cache, String key, long loadMillis)
      throws InterruptedException {
    if (cache.get(key) == null) {
      Thread.sleep(loadMillis); // the database
      cache.set(key, "value-of-" + key, SetParams.setParams().ex(300));
    }
  }
}
