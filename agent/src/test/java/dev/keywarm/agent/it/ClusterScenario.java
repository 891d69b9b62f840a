package dev.keywarm.agent.it;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * A JedisCluster application: per key {@code c:1..c:5} (spread over the slots), two misses, one
 * SET, three hits. Args: seedHost seedPort.
 */
public final class ClusterScenario {

  public static void main(String[] args) {
    try (JedisCluster cluster =
        new JedisCluster(new HostAndPort(args[0], Integer.parseInt(args[1])))) {
      for (int i = 1; i <= 5; i++) {
        String key = "c:" + i;
        cluster.get(key);
        cluster.get(key);
        cluster.set(key, "v");
        for (int j = 0; j < 3; j++) {
          cluster.get(key);
        }
      }
    }
    System.out.println("cluster scenario done");
  }
}
