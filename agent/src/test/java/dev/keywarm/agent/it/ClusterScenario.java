package dev.keywarm.agent.it;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * A JedisCluster application: per key {@code c:1..c:N} (spread over the slots; N = 5 unless a third
 * argument says), two misses, one SET, three hits. Args: seedHost seedPort [N].
 */
public final class ClusterScenario {

  public static void main(String[] args) {
    try (JedisCluster cluster =
        new JedisCluster(new HostAndPort(args[0], Integer.parseInt(args[1])))) {
      int keys = args.length > 2 ? Integer.parseInt(args[2]) : 5;
      for (int i = 1; i <= keys; i++) {
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
