package dev.keywarm.agent.it;

import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;

/**
 * A JedisSentinelPool application: two misses, one SET, three hits on one key. Args: sentinelPort
 * key.
 */
public final class SentinelScenario {

  public static void main(String[] args) {
    try (JedisSentinelPool pool = new JedisSentinelPool("cache", Set.of("127.0.0.1:" + args[0]));
        Jedis jedis = pool.getResource()) {
      jedis.get(args[1]);
      jedis.get(args[1]);
      jedis.set(args[1], "v");
      for (int i = 0; i < 3; i++) {
        jedis.get(args[1]);
      }
    }
  }
}
