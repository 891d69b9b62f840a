package dev.keywarm.agent.it;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * One write or expiry change per TTL surface, through Jedis (3.x to 8.x) or Lettuce (5.x to 7.x):
 * {@code ttl:ex} 10 s, {@code ttl:px} 2.5 s, {@code ttl:setex} 20 s, {@code ttl:psetex} 1.5 s,
 * {@code ttl:none} (plain SET), {@code ttl:mset} (MSET), {@code ttl:expire} 30 s, {@code
 * ttl:pexpire} 3.5 s, {@code ttl:persist} (none), {@code ttl:getex} 40 s, {@code ttl:keep} (SETEX
 * 60 s, then SET KEEPTTL). A surface the client version does not have (GETEX before Jedis 3.6 or
 * Lettuce 6.1, KEEPTTL before Lettuce 6) prints {@code skipped <key>}. Jedis is called by
 * reflection: its numeric parameters changed from int to long in 4.0, so code compiled against one
 * would not link against the other. Args: jedis|lettuce host port.
 */
public final class TtlApp {

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    if (args[0].equals("jedis")) {
      Object redis =
          Class.forName("redis.clients.jedis.Jedis")
              .getConstructor(String.class, int.class)
              .newInstance(host, port);
      try {
        call(redis, "set", "ttl:ex", "v", setParams("ex", 10));
        call(redis, "set", "ttl:px", "v", setParams("px", 2_500));
        call(redis, "setex", "ttl:setex", 20, "v");
        call(redis, "psetex", "ttl:psetex", 1_500, "v");
        call(redis, "set", "ttl:none", "v");
        call(redis, "mset", (Object) new String[] {"ttl:mset", "v"});
        call(redis, "set", "ttl:expire", "v");
        call(redis, "expire", "ttl:expire", 30);
        call(redis, "set", "ttl:pexpire", "v");
        call(redis, "pexpire", "ttl:pexpire", 3_500);
        call(redis, "setex", "ttl:persist", 100, "v");
        call(redis, "persist", "ttl:persist");
        if (exists("redis.clients.jedis.params.GetExParams")) {
          call(redis, "set", "ttl:getex", "v");
          Object ex =
              call(staticCall("redis.clients.jedis.params.GetExParams", "getExParams"), "ex", 40);
          call(redis, "getEx", "ttl:getex", ex);
        } else {
          System.out.println("skipped ttl:getex");
        }
        call(redis, "setex", "ttl:keep", 60, "v");
        try {
          call(redis, "set", "ttl:keep", "w", call(setParams(null, 0), "keepttl"));
        } catch (NoSuchMethodException e) {
          System.out.println("skipped ttl:keep");
        }
      } finally {
        ((AutoCloseable) redis).close();
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
        if (exists("io.lettuce.core.GetExArgs")) {
          redis.set("ttl:getex", "v");
          redis.getex("ttl:getex", GetExArgs.Builder.ex(40));
        } else {
          System.out.println("skipped ttl:getex");
        }
        redis.setex("ttl:keep", 60, "v");
        try {
          redis.set("ttl:keep", "w", SetArgs.Builder.keepttl());
        } catch (NoSuchMethodError e) {
          System.out.println("skipped ttl:keep");
        }
      } finally {
        client.shutdown();
      }
    }
    System.out.println("done");
  }

  private static boolean exists(String type) {
    try {
      Class.forName(type);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** {@code SetParams.setParams()}, then {@code .<option>(value)} if an option is given. */
  private static Object setParams(String option, long value) throws Exception {
    Object params = staticCall("redis.clients.jedis.params.SetParams", "setParams");
    return option == null ? params : call(params, option, value);
  }

  private static Object staticCall(String type, String name) throws Exception {
    return Class.forName(type).getMethod(name).invoke(null);
  }

  /**
   * The public method {@code name} whose parameters take {@code args}, a number passed as int or
   * long as the method wants it.
   */
  static Object call(Object target, String name, Object... args) throws Exception {
    for (Method method : target.getClass().getMethods()) {
      if (!method.getName().equals(name)
          || method.getParameterCount() != args.length
          || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Object[] converted = new Object[args.length];
      boolean fits = true;
      for (int i = 0; i < args.length && fits; i++) {
        Class<?> type = method.getParameterTypes()[i];
        Object arg = args[i];
        if (arg instanceof Number n && (type == int.class || type == long.class)) {
          converted[i] = type == int.class ? (Object) n.intValue() : (Object) n.longValue();
        } else if (arg != null && !type.isPrimitive() && type.isInstance(arg)) {
          converted[i] = arg;
        } else {
          fits = false;
        }
      }
      if (fits) {
        method.setAccessible(true); // a public method of a package-private base (BaseGetExParams)
        return method.invoke(target, converted);
      }
    }
    throw new NoSuchMethodException(target.getClass().getName() + "." + name);
  }
}
