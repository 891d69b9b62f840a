package dev.keywarm.agent.it;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The application under test: an unmodified Jedis program that runs one known sequence of cache
 * calls through each Jedis API surface. It calls Jedis by reflection only so that one compiled
 * class runs against every Jedis version from 4.x to 8.x, whose return types differ ({@code
 * pipelined()} returns {@code Pipeline}, {@code PipelineBase} or {@code AbstractPipeline}).
 *
 * <p>Per surface {@code S}, the expected counts are in {@link KnownSequence}. Exits non-zero on any
 * exception, so a test also proves the agent threw nothing into the application. An optional fourth
 * argument names the library's root package: {@code io.valkey} runs the same program on
 * valkey-java, Valkey's fork of Jedis with the same API.
 */
public final class JedisScenario {

  static final String[] SURFACES = {"jedis", "pool", "pooled", "pipeline", "multi", "pooledpipe"};

  /** Jedis 3 has no UnifiedJedis: no JedisPooled surfaces. */
  static final String[] JEDIS3_SURFACES = {"jedis", "pool", "pipeline", "multi"};

  /** The library's root package: Jedis's, or a fork's with the same classes. */
  private static String root = "redis.clients.jedis";

  static String[] surfaces() {
    try {
      Class.forName(root + ".UnifiedJedis");
      return SURFACES;
    } catch (ClassNotFoundException e) {
      return JEDIS3_SURFACES;
    }
  }

  static final int LONG_KEY_BYTES = 2048;

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String namespace = args[2];
    if (args.length > 3) {
      root = args[3];
    }
    for (String surface : surfaces()) {
      runSurface(surface, namespace + ":" + surface, host, port);
    }
    System.out.println("scenario done");
  }

  private static void runSurface(String surface, String s, String host, int port) throws Exception {
    Class<?> jedisClass = Class.forName(root + ".Jedis");
    switch (surface) {
      case "jedis" -> {
        Object jedis = jedisClass.getConstructor(String.class, int.class).newInstance(host, port);
        sequence(s, jedis, null);
        call(jedis, "close");
      }
      case "pool" -> {
        Object pool =
            Class.forName(root + ".JedisPool")
                .getConstructor(String.class, int.class)
                .newInstance(host, port);
        Object resource = call(pool, "getResource");
        sequence(s, resource, null);
        call(resource, "close");
        call(pool, "close");
      }
      case "pooled", "pooledpipe" -> {
        Object pooled = unifiedClient(host, port);
        if (surface.equals("pooled")) {
          sequence(s, pooled, null);
        } else {
          Object pipeline = call(pooled, "pipelined");
          sequence(s, pipeline, pipeline);
          call(pipeline, "close");
        }
        call(pooled, "close");
      }
      case "pipeline", "multi" -> {
        Object jedis = jedisClass.getConstructor(String.class, int.class).newInstance(host, port);
        Object batch = call(jedis, surface.equals("pipeline") ? "pipelined" : "multi");
        sequence(s, batch, batch);
        call(jedis, "close");
      }
      default -> throw new IllegalArgumentException(surface);
    }
  }

  /** A pooled {@code UnifiedJedis}: {@code JedisPooled} up to 7.x, {@code RedisClient} from 8.0. */
  private static Object unifiedClient(String host, int port) throws Exception {
    try {
      return Class.forName(root + ".JedisPooled")
          .getConstructor(String.class, int.class)
          .newInstance(host, port);
    } catch (ClassNotFoundException e) {
      return Class.forName(root + ".RedisClient")
          .getMethod("create", String.class, int.class)
          .invoke(null, host, port);
    }
  }

  /**
   * The known sequence. {@code batch} is non-null for a pipeline or MULTI block, synced (or
   * executed) at the end: the server runs queued commands in order, so every reply is the same as
   * when the calls are made one by one.
   */
  private static void sequence(String s, Object client, Object batch) throws Exception {
    Class<?> setParams = Class.forName(root + ".params.SetParams");
    Class<?> getExParams = Class.forName(root + ".params.GetExParams");

    String user = s + ":user:1";
    for (int i = 0; i < 7; i++) {
      call(client, "get", user);
    }
    for (int i = 0; i < 3; i++) {
      call(client, "set", user, "profile");
    }
    for (int i = 0; i < 12; i++) {
      call(client, "get", user);
    }

    call(
        client,
        "setex",
        new Class<?>[] {String.class, long.class, String.class},
        s + ":f:a",
        100L,
        "v");
    call(
        client,
        "psetex",
        new Class<?>[] {String.class, long.class, String.class},
        s + ":f:b",
        100_000L,
        "v");
    call(client, "setnx", s + ":f:c", "v");
    call(client, "setnx", s + ":f:c", "v");
    Object nx = call(setParams.getConstructor().newInstance(), "nx", new Class<?>[0]);
    Object xx = call(setParams.getConstructor().newInstance(), "xx", new Class<?>[0]);
    call(
        client, "set", new Class<?>[] {String.class, String.class, setParams}, s + ":f:d", "v", nx);
    call(
        client, "set", new Class<?>[] {String.class, String.class, setParams}, s + ":f:d", "v", nx);
    call(
        client, "set", new Class<?>[] {String.class, String.class, setParams}, s + ":f:d", "v", xx);
    Object persist = call(getExParams.getConstructor().newInstance(), "persist", new Class<?>[0]);
    call(client, "getEx", new Class<?>[] {String.class, getExParams}, s + ":f:a", persist);
    call(client, "getDel", s + ":f:b");
    call(client, "getDel", s + ":f:b");
    call(client, "getSet", s + ":f:c", "v2");
    call(
        client,
        "mget",
        new Class<?>[] {String[].class},
        (Object) new String[] {s + ":f:a", s + ":f:b", s + ":f:c", s + ":f:x"});
    call(
        client,
        "mset",
        new Class<?>[] {String[].class},
        (Object) new String[] {s + ":f:m1", "v", s + ":f:m2", "v"});
    if (hasMethod(client.getClass(), "setGet", String.class, String.class, setParams)) {
      call(
          client,
          "setGet",
          new Class<?>[] {String.class, String.class, setParams},
          s + ":f:e",
          "v",
          setParams.getConstructor().newInstance());
    } else {
      call(client, "getSet", s + ":f:e", "v"); // Jedis 3: the same miss and write
    }

    byte[] binary = binaryKey(s);
    call(client, "get", new Class<?>[] {byte[].class}, (Object) binary);
    call(client, "get", new Class<?>[] {byte[].class}, (Object) binary);
    call(client, "set", new Class<?>[] {byte[].class, byte[].class}, binary, new byte[] {1, 2, 3});
    call(client, "get", new Class<?>[] {byte[].class}, (Object) binary);

    String longKey = longKey(s);
    call(client, "set", longKey, "v");
    call(client, "get", longKey);
    call(client, "get", longKey);

    hashSequence(s, client);

    if (batch != null) {
      finish(batch);
    }
  }

  /**
   * Hash fields as cache entries, through every Jedis version's own hash methods (HGETDEL and
   * HGETEX are Redis 8 commands; the test server may lack them). Counts: {@link
   * KnownSequence#hashExpectations}.
   */
  private static void hashSequence(String s, Object client) throws Exception {
    String h = s + ":h:user:1";
    Class<?>[] keyAndFields = {String.class, String[].class};
    Class<?>[] keyAndMap = {String.class, java.util.Map.class};
    call(client, "hget", h, "profile");
    call(client, "hset", h, "profile", "v");
    for (int i = 0; i < 3; i++) {
      call(client, "hget", h, "profile");
    }
    call(client, "hmget", keyAndFields, h, new String[] {"profile", "avatar", "email"}); // H M M
    java.util.Map<String, String> two = new java.util.LinkedHashMap<>();
    two.put("avatar", "v");
    two.put("email", "v");
    call(client, "hset", keyAndMap, h, two);
    call(client, "hmset", keyAndMap, h, java.util.Map.of("theme", "v"));
    call(client, "hsetnx", h, "theme", "v"); // exists: not a write
    call(client, "hsetnx", h, "locale", "v");
    call(client, "hdel", keyAndFields, h, new String[] {"theme"});
    call(client, "hget", h, "theme");
    call(client, "hget", s + ":h:user:2", "profile");
  }

  private static void finish(Object batch) throws Exception {
    if (isTransaction(batch)) {
      call(batch, "exec");
      call(batch, "close");
    } else {
      call(batch, "sync");
    }
  }

  /** Not valid UTF-8, with a NUL inside: keys are bytes, not strings. */
  static byte[] binaryKey(String surface) {
    byte[] name = surface.getBytes(StandardCharsets.US_ASCII);
    byte[] key = new byte[4 + name.length];
    key[0] = (byte) 0xFF;
    key[1] = (byte) 0xFE;
    key[2] = 0;
    key[3] = (byte) 0xC3;
    System.arraycopy(name, 0, key, 4, name.length);
    return key;
  }

  static String longKey(String surface) {
    char[] filler = new char[LONG_KEY_BYTES - surface.length() - 6];
    Arrays.fill(filler, 'x');
    return surface + ":long:" + new String(filler);
  }

  private static Object call(Object target, String name, Object... args) throws Exception {
    Class<?>[] types = new Class<?>[args.length];
    Arrays.fill(types, String.class);
    return call(target, name, types, args);
  }

  private static Object call(Object target, String name, Class<?>[] types, Object... args)
      throws Exception {
    Method method = findMethod(target.getClass(), name, types);
    method.setAccessible(true);
    return method.invoke(target, args);
  }

  /** A Transaction or AbstractTransaction (Jedis 8 returns an anonymous subclass). */
  private static boolean isTransaction(Object batch) {
    for (Class<?> c = batch.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().endsWith("Transaction")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasMethod(Class<?> type, String name, Class<?>... types) {
    try {
      findMethod(type, name, types);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Method findMethod(Class<?> type, String name, Class<?>[] types)
      throws NoSuchMethodException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredMethod(name, types);
      } catch (NoSuchMethodException e) {
        // look further up
      }
    }
    return type.getMethod(name, types);
  }
}
