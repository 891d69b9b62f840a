package dev.keywarm.agent.it;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.GetExParams;

/**
 * Every command that invalidates a key, once each, through Jedis or Lettuce — {@code inv:del},
 * {@code inv:unlink}, {@code inv:expire}, {@code inv:persist}, {@code inv:getex}, {@code
 * inv:getdel}, and {@code INCR inv:incr} (a command keywarm does not count), {@code HSET inv:hset
 * f} and {@code HDEL inv:hdel g} (the field and its whole hash) — and three that invalidate
 * nothing: a plain read of {@code inv:read}, a GETEX without option of {@code inv:plain-getex} and
 * an {@code HGET inv:hread f}. Then it lingers for the agent to publish. Args: jedis|lettuce host
 * port.
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
        redis.setex("inv:plain-getex", 300, "v");
        redis.set("inv:incr", "1");
        redis.hset("inv:hdel", "g", "v");
        redis.hset("inv:hread", "f", "v");
        Thread.sleep(1_500); // the setex writes are published before the invalidations proper
        redis.hset("inv:hset", "f", "v");
        redis.hdel("inv:hdel", "g");
        redis.hget("inv:hread", "f");
        redis.incr("inv:incr"); // not recorded as a count, but it changes the value
        redis.getEx("inv:plain-getex", GetExParams.getExParams()); // no option: a read only
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
        redis.setex("inv:plain-getex", 300, "v");
        redis.set("inv:incr", "1");
        redis.hset("inv:hdel", "g", "v");
        redis.hset("inv:hread", "f", "v");
        Thread.sleep(1_500);
        redis.hset("inv:hset", "f", "v");
        redis.hdel("inv:hdel", "g");
        redis.hget("inv:hread", "f");
        redis.incr("inv:incr");
        redis.getex("inv:plain-getex", new GetExArgs());
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
