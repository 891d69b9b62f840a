package dev.keywarm.agent.it;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * A bad deploy in miniature: a child JVM run with the agent that reads a stream of keys it never
 * reads again, at a steady {@value #PER_TICK} per 100 ms tick (never catching up on a late tick, so
 * no flush window sees more than its share). Args: host port mode ticks.
 *
 * <ul>
 *   <li>{@code keys}: ten hot keys {@code hot:i} written five times (SET EX 600), then per tick
 *       {@value #PER_TICK} cache-aside misses of distinct keys {@code flood:n} (GET nil, then SET
 *       EX 60: a miss, a write, a load and a TTL each) and five GETs of every hot key.
 *   <li>{@code pairs}: per tick, {@value #PER_TICK} / 2 times GET {@code flood:n}, GET {@code pa},
 *       GET {@code pb} (all misses): one thread, so each read pairs with the one before it.
 * </ul>
 *
 * Prints {@code done reads=R writes=W floods=F ticks=T}.
 */
public final class KeyExplosionApp {

  static final int PER_TICK = 100;
  static final int HOT_KEYS = 10;
  static final int HOT_WRITES = 5;
  static final int HOT_READS_PER_TICK = 5;

  public static void main(String[] args) throws Exception {
    String mode = args[2];
    int ticks = Integer.parseInt(args[3]);
    long reads = 0;
    long writes = 0;
    long floods = 0;
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      if (mode.equals("keys")) {
        for (int w = 0; w < HOT_WRITES; w++) {
          for (int h = 0; h < HOT_KEYS; h++) {
            jedis.set("hot:" + h, "v", SetParams.setParams().ex(600));
            writes++;
          }
        }
      }
      long next = System.nanoTime();
      for (int t = 0; t < ticks; t++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        next = Math.max(next, System.nanoTime()) + 100_000_000L;
        if (mode.equals("keys")) {
          for (int i = 0; i < PER_TICK; i++) {
            String key = "flood:" + floods++;
            if (jedis.get(key) == null) {
              jedis.set(key, "loaded", SetParams.setParams().ex(60));
            }
            reads++;
            writes++;
          }
          for (int r = 0; r < HOT_READS_PER_TICK; r++) {
            for (int h = 0; h < HOT_KEYS; h++) {
              jedis.get("hot:" + h);
              reads++;
            }
          }
        } else {
          for (int i = 0; i < PER_TICK / 2; i++) {
            jedis.get("flood:" + floods++);
            jedis.get("pa");
            jedis.get("pb");
            reads += 3;
          }
        }
      }
    }
    System.out.println(
        "done reads=" + reads + " writes=" + writes + " floods=" + floods + " ticks=" + ticks);
  }
}
