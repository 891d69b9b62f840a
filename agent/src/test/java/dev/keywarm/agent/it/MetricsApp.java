package dev.keywarm.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.JedisPooled;

/**
 * A known cache workload for the meters, through Jedis, then idle until the stop file appears (at
 * most 60 s): {@code product:1..3} are missed, loaded (SET) and then hit 4 times each; {@code
 * user:"quoted\name"} is missed once (a pattern that needs escaping); {@code product:3} is deleted
 * twice (DEL, then UNLINK after a new SET). Per pattern {@code product:{n}}: 12 hits, 3 misses, 4
 * puts, 2 removals, 3 timed loads. Args: host port stopFile.
 */
public final class MetricsApp {

  public static void main(String[] args) throws Exception {
    Path stop = Path.of(args[2]);
    try (JedisPooled cache = new JedisPooled(args[0], Integer.parseInt(args[1]))) {
      for (int id = 1; id <= 3; id++) {
        String key = "product:" + id;
        if (cache.get(key) == null) {
          Thread.sleep(5); // the database
          cache.set(key, "product-" + id);
        }
        for (int i = 0; i < 4; i++) {
          cache.get(key);
        }
      }
      cache.get("user:\"quoted\\name\"");
      cache.del("product:3");
      cache.set("product:3", "again");
      cache.unlink("product:3");
      System.out.println("workload done");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.exists(stop) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
  }
}
