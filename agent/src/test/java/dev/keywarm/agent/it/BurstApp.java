package dev.keywarm.agent.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Traffic that used to hurt: a child JVM run with the agent. Args: host port mode ...
 *
 * <ul>
 *   <li>{@code huge N BYTES}: N GET misses of distinct BYTES-long keys, then one SET and 1 000 GET
 *       hits of {@code hot}.
 *   <li>{@code distinct N BUSY PAUSE [MARKER]}: N GET misses of distinct keys {@code burst:i},
 *       pipelined, pausing PAUSE ms after each 1 000, with BUSY threads spinning beside it (CPU
 *       contention), plus 1 396 hits of {@code hot}; with MARKER, waits until that file exists
 *       before exiting.
 * </ul>
 *
 * Exits normally right after the traffic, so the agent's shutdown flush is what is tested.
 */
public final class BurstApp {

  public static void main(String[] args) throws Exception {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      switch (args[2]) {
        case "huge" -> huge(jedis, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        case "distinct" ->
            distinct(
                jedis,
                Integer.parseInt(args[3]),
                Integer.parseInt(args[4]),
                Long.parseLong(args[5]),
                args.length > 6 ? Path.of(args[6]) : null);
        default -> throw new IllegalArgumentException(args[2]);
      }
    }
  }

  private static void huge(Jedis jedis, int count, int bytes) {
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[bytes];
      Arrays.fill(key, (byte) 'x');
      byte[] id = ("huge:" + i + ":").getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(id, 0, key, 0, id.length);
      jedis.get(key);
    }
    jedis.set("hot", "v");
    for (int i = 0; i < 1000; i++) {
      jedis.get("hot");
    }
    System.out.println(
        "done heapUsedMb="
            + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1 << 20));
  }

  private static void distinct(Jedis jedis, int count, int busy, long pauseMillis, Path marker)
      throws Exception {
    for (int t = 0; t < busy; t++) {
      Thread spinner =
          new Thread(
              () -> {
                long x = 0;
                while (true) {
                  x += System.nanoTime() & 1;
                }
              });
      spinner.setDaemon(true);
      spinner.start();
    }
    jedis.set("hot", "v");
    int hot = 0;
    Pipeline pipeline = jedis.pipelined();
    for (int i = 0; i < count; i++) {
      pipeline.get("burst:" + i);
      if (i % 1_000 == 999) {
        pipeline.sync();
        Thread.sleep(pauseMillis);
      }
      if (i % 150 == 0 && hot < 1_396) {
        pipeline.get("hot");
        hot++;
      }
    }
    pipeline.sync();
    for (; hot < 1_396; hot++) {
      jedis.get("hot");
    }
    System.out.println("done");
    System.out.flush();
    while (marker != null && !Files.exists(marker)) {
      Thread.sleep(20);
    }
  }
}
