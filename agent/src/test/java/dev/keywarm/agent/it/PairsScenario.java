package dev.keywarm.agent.it;

import redis.clients.jedis.Jedis;

/**
 * Reads p:a then p:b twenty times, 120 ms apart: (a, b) is a pair, (b, a) is not. Args: host port.
 */
public final class PairsScenario {

  public static void main(String[] args) throws InterruptedException {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      for (int i = 0; i < 20; i++) {
        jedis.get("p:a");
        jedis.get("p:b");
        Thread.sleep(120);
      }
    }
  }
}
