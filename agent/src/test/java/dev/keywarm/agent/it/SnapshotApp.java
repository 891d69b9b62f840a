package dev.keywarm.agent.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * A cache user with no loader code at all: it writes {@code page:1..n} once (with a TTL, binary
 * values of {@code size} bytes) and {@code page:forever} (no TTL), then reads them until the stop
 * file appears — {@code page:i} about 1/i as often as {@code page:1}, so the ranking is clear. When
 * the mutate file appears it overwrites {@code page:1} and deletes {@code page:2}, once. When the
 * cache goes down it writes {@code page:3} once, on a connection opened before (the write goes out
 * and fails). Args: host port stopFile mutateFile n size.
 */
public final class SnapshotApp {

  static final int TTL_SECONDS = 300;

  public static void main(String[] args) throws Exception {
    Path stop = Path.of(args[2]);
    Path mutate = Path.of(args[3]);
    int n = Integer.parseInt(args[4]);
    int size = Integer.parseInt(args[5]);
    long deadline = System.nanoTime() + 120_000_000_000L;
    long failures = 0;
    boolean mutated = false;
    boolean failedWriteTried = false;
    try (JedisPooled cache = new JedisPooled(args[0], Integer.parseInt(args[1]));
        // a connection of its own, open before the cache dies: its write goes out and fails
        Jedis writer = new Jedis(args[0], Integer.parseInt(args[1]))) {
      writer.ping();
      for (int i = 1; i <= n; i++) {
        cache.setex(key(i), TTL_SECONDS, value(i, "v1", size));
      }
      cache.set("page:forever", "forever");
      System.out.println("written");
      for (long round = 1; !Files.exists(stop) && System.nanoTime() < deadline; round++) {
        try {
          for (int i = 1; i <= n; i++) {
            if (round % i == 0) {
              cache.get(key(i));
            }
          }
          cache.get("page:forever");
          if (!mutated && Files.exists(mutate)) {
            mutated = true;
            cache.setex(key(1), TTL_SECONDS, value(1, "v2", size));
            cache.del(key(2));
            System.out.println("mutated");
          }
        } catch (RuntimeException e) {
          failures++; // the cache restarting under us
          if (!failedWriteTried) {
            failedWriteTried = true;
            try {
              writer.set(key(3), value(3, "outage", size), SetParams.setParams().ex(TTL_SECONDS));
            } catch (RuntimeException expected) {
              System.out.println("write failed while the cache was down");
            }
          }
        }
        Thread.sleep(2);
      }
    }
    System.out.println("stopped, failures while the cache was down=" + failures);
  }

  static byte[] key(int i) {
    return ("page:" + i).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code size} bytes: a readable head, then random bytes (binary-safe on the way back, and not
   * compressible, so DUMP payloads are as large as the values).
   */
  static byte[] value(int i, String version, int size) {
    byte[] head = (version + "-" + i + ":").getBytes(StandardCharsets.UTF_8);
    byte[] value = new byte[Math.max(size, head.length)];
    new java.util.Random(i * 31L + version.hashCode()).nextBytes(value);
    System.arraycopy(head, 0, value, 0, head.length);
    return value;
  }
}
