package dev.keywarm.agent.it;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * One write or expiry change per TTL surface, through Jedis or Lettuce: {@code ttl:ex} 10 s, {@code
 * ttl:px} 2.5 s, {@code ttl:setex} 20 s, {@code ttl:psetex} 1.5 s, {@code ttl:none} (plain SET),
 * {@code ttl:mset} (MSET), {@code ttl:expire} 30 s, {@code ttl:pexpire} 3.5 s, {@code ttl:persist}
 * (none), {@code ttl:getex} 40 s, {@code ttl:keep} (SETEX 60 s, then SET KEEPTTL). Args:
 * jedis|lettuce host port.
 */
public final class TtlApp {

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    if (args[0].equals("jedis")) {
      try (JedisPooled redis = new JedisPooled(host, port)) {
        redis.set("ttl:ex", "v", SetParams.setParams().ex(10));
        redis.set("ttl:px", "v", SetParams.setParams().px(2_500));
        redis.setex("ttl:setex", 20, "v");
        redis.psetex("ttl:psetex", 1_500, "v");
        redis.set("ttl:none", "v");
        redis.mset("ttl:mset", "v");
        redis.set("ttl:expire", "v");
        redis.expire("ttl:expire", 30);
        redis.set("ttl:pexpire", "v");
        redis.pexpire("ttl:pexpire", 3_500);
        redis.setex("ttl:persist", 100, "v");
        redis.persist("ttl:persist");
        redis.set("ttl:getex", "v");
        redis.getEx("ttl:getex", GetExParams.getExParams().ex(40));
        redis.setex("ttl:keep", 60, "v");
        redis.set("ttl:keep", "w", SetParams.setParams().keepttl());
      }
    } else {
      RedisClient client = RedisClient.create("redis://" + host + ":" + port);
      try (var connection = client.connect()) {
        RedisCommands<String, String> redis = connection.sync();
        redis.set("ttl:ex", "v", SetArgs.Builder.ex(10));
        redis.set("ttl:px", "v", SetArgs.Builder.px(2_500));
        redis.setex("ttl:setex", 20, "v");
        redis.psetex("ttl:psetex", 1_500, "v");
        redis.set("ttl:none", "v");
        redis.mset(Map.of("ttl:mset", "v"));
        redis.set("ttl:expire", "v");
        redis.expire("ttl:expire", 30);
        redis.set("ttl:pexpire", "v");
        redis.pexpire("ttl:pexpire", 3_500);
        redis.setex("ttl:persist", 100, "v");
        redis.persist("ttl:persist");
        redis.set("ttl:getex", "v");
        redis.getex("ttl:getex", GetExArgs.Builder.ex(40));
        redis.setex("ttl:keep", 60, "v");
        redis.set("ttl:keep", "w", SetArgs.Builder.keepttl());
      } finally {
        client.shutdown();
      }
    }
    System.out.println("done");
  }
}
