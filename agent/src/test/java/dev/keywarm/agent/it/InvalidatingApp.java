package dev.keywarm.agent.it;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.GetExParams;

/**
 * Every command that invalidates a key, once each, through Jedis or Lettuce — {@code inv:del},
 * {@code inv:unlink}, {@code inv:expire}, {@code inv:persist}, {@code inv:getex}, {@code
 * inv:getdel}, {@code inv:set} — and a plain read of {@code inv:read}, which invalidates nothing.
 * Then it lingers for the agent to publish. Args: jedis|lettuce host port.
 */
public final class InvalidatingApp {

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    if (args[0].equals("jedis")) {
      try (JedisPooled redis = new JedisPooled(host, port)) {
        for (String key : new String[] {"del", "unlink", "expire", "persist", "getex", "getdel"}) {
          redis.setex("inv:" + key, 300, "v");
        }
        redis.setex("inv:read", 300, "v");
        Thread.sleep(1_500); // the setex writes are published before the invalidations proper
        redis.del("inv:del");
        redis.unlink("inv:unlink");
        redis.expire("inv:expire", 100);
        redis.persist("inv:persist");
        redis.getEx("inv:getex", GetExParams.getExParams().ex(100));
        redis.getDel("inv:getdel");
        redis.get("inv:read");
      }
    } else {
      RedisClient client = RedisClient.create("redis://" + host + ":" + port);
      try (var connection = client.connect()) {
        RedisCommands<String, String> redis = connection.sync();
        for (String key : new String[] {"del", "unlink", "expire", "persist", "getex", "getdel"}) {
          redis.setex("inv:" + key, 300, "v");
        }
        redis.setex("inv:read", 300, "v");
        Thread.sleep(1_500);
        redis.del("inv:del");
        redis.unlink("inv:unlink");
        redis.expire("inv:expire", 100);
        redis.persist("inv:persist");
        redis.getex("inv:getex", GetExArgs.Builder.ex(100));
        redis.getdel("inv:getdel");
        redis.get("inv:read");
      } finally {
        client.shutdown();
      }
    }
    Thread.sleep(1_000);
    System.out.println("done");
  }
}
