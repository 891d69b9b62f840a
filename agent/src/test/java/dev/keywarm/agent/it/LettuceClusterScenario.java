package dev.keywarm.agent.it;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;

/**
 * A Lettuce cluster application: per key {@code lc:1..5} (spread over the slots), two misses, one
 * SET, three hits, through {@code RedisClusterClient}. Args: seedUri.
 */
public final class LettuceClusterScenario {

  public static void main(String[] args) {
    RedisClusterClient client = RedisClusterClient.create(args[0]);
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      RedisAdvancedClusterCommands<String, String> cluster = connection.sync();
      for (int i = 1; i <= 5; i++) {
        String key = "lc:" + i;
        cluster.get(key);
        cluster.get(key);
        cluster.set(key, "v");
        for (int j = 0; j < 3; j++) {
          cluster.get(key);
        }
      }
    }
    client.shutdown();
    System.out.println("cluster scenario done");
  }
}
