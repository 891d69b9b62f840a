package dev.keywarm.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.JedisPooled;

/**
 * A small cache-aside service for fault tests: reads 100 keys in a loop, loading each miss with a
 * SET, for a fixed time. Prints how many reads hit in total and how many had hit when it first saw
 * the marker file (the test creates it right after killing the stats Redis), and every exception.
 * Says "serving" after its first thousand hits, so a test can wait for a working service.
 *
 * <p>Args: host port seconds markerFile
 */
public final class CacheAsideApp {

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    long endAt = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    Path marker = Path.of(args[3]);
    long hits = 0;
    long hitsAtMarker = -1;
    long exceptions = 0;
    long operations = 0;
    try (JedisPooled jedis = new JedisPooled(host, port)) {
      while (System.nanoTime() < endAt) {
        String key = "svc:item:" + (operations % 100);
        try {
          if (jedis.get(key) == null) {
            jedis.set(key, "value");
          } else if (++hits == 1000) {
            System.out.println("serving");
            System.out.flush();
          }
        } catch (RuntimeException e) {
          exceptions++;
          e.printStackTrace();
        }
        operations++;
        if (hitsAtMarker < 0 && (operations & 63) == 0 && Files.exists(marker)) {
          hitsAtMarker = hits;
        }
        if ((operations & 1023) == 0) {
          Thread.sleep(1); // a service, not a load generator
        }
      }
    }
    System.out.println(
        "hits="
            + hits
            + " hitsAtMarker="
            + hitsAtMarker
            + " exceptions="
            + exceptions
            + " operations="
            + operations);
  }
}
