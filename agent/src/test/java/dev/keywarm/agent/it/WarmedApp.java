package dev.keywarm.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.JedisPooled;

/**
 * A running service with a loader on its class path and nothing else: it reads {@code item:1} every
 * 20 ms until the stop file appears (at most 90 s), riding out a cache restart. Args: host port
 * stopFile.
 */
public final class WarmedApp {

  public static void main(String[] args) throws Exception {
    Path stop = Path.of(args[2]);
    long deadline = System.nanoTime() + 90_000_000_000L;
    long failures = 0;
    try (JedisPooled cache = new JedisPooled(args[0], Integer.parseInt(args[1]))) {
      while (!Files.exists(stop) && System.nanoTime() < deadline) {
        try {
          cache.get("item:1");
        } catch (RuntimeException e) {
          failures++; // the cache restarting under us: the application's own concern
        }
        Thread.sleep(20);
      }
    }
    System.out.println("stopped, failures while the cache was down=" + failures);
  }
}
