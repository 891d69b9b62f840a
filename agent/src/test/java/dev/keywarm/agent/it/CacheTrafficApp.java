package dev.keywarm.agent.it;

import java.util.Random;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * Steady cache-aside traffic for a number of seconds, through Jedis, on two key patterns: {@code
 * product:{n}} (200 ids, the low ones read most, every miss loaded in ~2 ms and written with a 60 s
 * TTL) and {@code session:{hex}} (read once, never found); every 50th operation deletes a product,
 * so misses, loads and deletes go on all the time. Args: host port seconds.
 */
public final class CacheTrafficApp {

  public static void main(String[] args) throws Exception {
    long endAt = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    Random random = new Random(7);
    try (JedisPooled cache = new JedisPooled(args[0], Integer.parseInt(args[1]))) {
      for (long op = 0; System.nanoTime() < endAt; op++) {
        int id = (int) Math.min(199, Math.abs(random.nextGaussian()) * 40);
        String key = "product:" + id;
        if (cache.get(key) == null) {
          Thread.sleep(2); // the database
          cache.set(key, "product-" + id, SetParams.setParams().ex(60));
        }
        if (op % 7 == 0) {
          cache.get("session:a" + Long.toHexString(random.nextLong() | 1L << 60)); // {hex}
        }
        if (op % 50 == 0) {
          cache.del("product:" + random.nextInt(20));
        }
        Thread.sleep(1);
      }
    }
    System.out.println("traffic done");
  }
}
