package dev.keywarm.agent.it;

import redis.clients.jedis.JedisPooled;

/**
 * A running service started WITHOUT the agent: it opens its pooled connections first, says "ready",
 * then reads one key every 5 ms for the given seconds. Args: host port seconds.
 */
public final class LoopApp {

  public static void main(String[] args) throws Exception {
    long endAt = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    long exceptions = 0;
    try (JedisPooled jedis = new JedisPooled(args[0], Integer.parseInt(args[1]))) {
      jedis.set("loop:key", "v");
      System.out.println("ready");
      System.out.flush();
      while (System.nanoTime() < endAt) {
        try {
          jedis.get("loop:key");
        } catch (RuntimeException e) {
          exceptions++;
        }
        Thread.sleep(5);
      }
    }
    System.out.println("exceptions=" + exceptions);
  }
}
