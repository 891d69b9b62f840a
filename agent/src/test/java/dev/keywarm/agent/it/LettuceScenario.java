package dev.keywarm.agent.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An unmodified Lettuce program running the same known sequence as {@link JedisScenario} through
 * each Lettuce API: sync, async, reactive, MULTI/EXEC, async with manual flushing, and a {@code
 * byte[]} codec. It uses only commands every Lettuce from 5.3 to 7.x has (GETEX, GETDEL and SET ...
 * GET arrived in 6.1, so equivalent sequences stand in for them), so the expected counts are the
 * same for every version. Args: redisUri namespace.
 */
public final class LettuceScenario {

  static final String[] SURFACES = {"sync", "async", "reactive", "multi", "flush", "bytes"};

  /** The commands of the sequence, over any Lettuce API. */
  interface Ops {
    void get(String key);

    void getBinary(byte[] key);

    void set(String key, String value);

    void setBinary(byte[] key, byte[] value);

    void set(String key, String value, SetArgs args);

    void setex(String key, long seconds, String value);

    void psetex(String key, long millis, String value);

    void setnx(String key, String value);

    void getset(String key, String value);

    void del(String key);

    void mget(String... keys);

    void mset(Map<String, String> values);

    void hget(String key, String field);

    void hmget(String key, String... fields);

    void hset(String key, String field, String value);

    void hset(String key, Map<String, String> values);

    void hmset(String key, Map<String, String> values);

    void hsetnx(String key, String field, String value);

    void hdel(String key, String... fields);

    /** Waits for everything issued (async, manual flush) or commits (MULTI). */
    void finish() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create(args[0]);
    String namespace = args[1];
    StatefulRedisConnection<byte[], byte[]> binary = client.connect(ByteArrayCodec.INSTANCE);
    BinaryFallback.redis = binary.sync();
    for (String surface : SURFACES) {
      String s = namespace + ":" + surface;
      if (surface.equals("bytes")) {
        try (StatefulRedisConnection<byte[], byte[]> connection =
            client.connect(ByteArrayCodec.INSTANCE)) {
          sequence(
              s,
              new SyncOps<>(
                  connection.sync(), LettuceScenario::utf8, LettuceScenario::utf8, b -> b));
        }
        continue;
      }
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        Ops ops =
            switch (surface) {
              case "sync" ->
                  new SyncOps<>(connection.sync(), k -> k, v -> v, LettuceScenario::latin1);
              case "async" -> new AsyncOps(connection.async(), null);
              case "reactive" -> new ReactiveOps(connection.reactive());
              case "multi" -> new MultiOps(connection.sync());
              case "flush" -> new AsyncOps(connection.async(), connection);
              default -> throw new IllegalArgumentException(surface);
            };
        sequence(s, ops);
      }
    }
    failures(client, namespace + ":failed");
    binary.close();
    client.shutdown();
    System.out.println("scenario done");
  }

  /**
   * A GET answered by an error reply and a GET cancelled before it was sent: neither is a hit or a
   * miss ({@link KnownSequence#FAILED_KEYS}).
   */
  private static void failures(RedisClient client, String s) throws Exception {
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      sync.hset(s + ":wrongtype", "field", "v");
      try {
        sync.get(s + ":wrongtype");
        throw new IllegalStateException("GET of a hash did not fail");
      } catch (io.lettuce.core.RedisCommandExecutionException expected) {
        // WRONGTYPE
      }
      connection.setAutoFlushCommands(false);
      RedisFuture<String> cancelled = connection.async().get(s + ":cancelled");
      cancelled.cancel(true);
      RedisFuture<String> ping = connection.async().ping();
      connection.flushCommands();
      ping.get(10, TimeUnit.SECONDS);
    }
  }

  private static void sequence(String s, Ops ops) throws Exception {
    String user = s + ":user:1";
    for (int i = 0; i < 7; i++) {
      ops.get(user);
    }
    for (int i = 0; i < 3; i++) {
      ops.set(user, "profile");
    }
    for (int i = 0; i < 12; i++) {
      ops.get(user);
    }
    ops.setex(s + ":f:a", 100, "v");
    ops.psetex(s + ":f:b", 100_000, "v");
    ops.setnx(s + ":f:c", "v");
    ops.setnx(s + ":f:c", "v");
    ops.set(s + ":f:d", "v", SetArgs.Builder.nx());
    ops.set(s + ":f:d", "v", SetArgs.Builder.nx());
    ops.set(s + ":f:d", "v", SetArgs.Builder.xx());
    ops.get(s + ":f:a"); // stands in for GETEX: one hit
    ops.get(s + ":f:b"); // with DEL, stands in for GETDEL twice: a hit, then a miss
    ops.del(s + ":f:b");
    ops.get(s + ":f:b");
    ops.getset(s + ":f:c", "v2");
    ops.mget(s + ":f:a", s + ":f:b", s + ":f:c", s + ":f:x");
    Map<String, String> pairs = new LinkedHashMap<>();
    pairs.put(s + ":f:m1", "v");
    pairs.put(s + ":f:m2", "v");
    ops.mset(pairs);
    ops.getset(s + ":f:e", "v"); // stands in for SET ... GET: a miss and a write

    byte[] binary = JedisScenario.binaryKey(s);
    ops.getBinary(binary);
    ops.getBinary(binary);
    ops.setBinary(binary, new byte[] {1, 2, 3});
    ops.getBinary(binary);

    String longKey = JedisScenario.longKey(s);
    ops.set(longKey, "v");
    ops.get(longKey);
    ops.get(longKey);

    hashSequence(s, ops);
    ops.finish();
  }

  /** The hash part of {@link JedisScenario}'s sequence, call for call. */
  private static void hashSequence(String s, Ops ops) {
    String h = s + ":h:user:1";
    ops.hget(h, "profile");
    ops.hset(h, "profile", "v");
    for (int i = 0; i < 3; i++) {
      ops.hget(h, "profile");
    }
    ops.hmget(h, "profile", "avatar", "email");
    Map<String, String> two = new LinkedHashMap<>();
    two.put("avatar", "v");
    two.put("email", "v");
    ops.hset(h, two);
    ops.hmset(h, Map.of("theme", "v"));
    ops.hsetnx(h, "theme", "v"); // exists: not a write
    ops.hsetnx(h, "locale", "v");
    ops.hdel(h, "theme");
    ops.hget(h, "theme");
    ops.hget(s + ":h:user:2", "profile");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A String codec cannot carry arbitrary bytes; ISO-8859-1 would re-encode them, so skip. */
  static String latin1(byte[] b) {
    return null;
  }

  /** Sync API over any codec: {@code key} maps the scenario's strings to the codec's keys. */
  static final class SyncOps<K> implements Ops {
    private final RedisCommands<K, K> redis;
    private final java.util.function.Function<String, K> key;
    private final java.util.function.Function<String, K> value;
    private final java.util.function.Function<byte[], K> raw;

    SyncOps(
        RedisCommands<K, K> redis,
        java.util.function.Function<String, K> key,
        java.util.function.Function<String, K> value,
        java.util.function.Function<byte[], K> raw) {
      this.redis = redis;
      this.key = key;
      this.value = value;
      this.raw = raw;
    }

    public void get(String k) {
      redis.get(key.apply(k));
    }

    public void getBinary(byte[] k) {
      K converted = raw.apply(k);
      if (converted != null) redis.get(converted);
      else BinaryFallback.get(k);
    }

    public void set(String k, String v) {
      redis.set(key.apply(k), value.apply(v));
    }

    public void setBinary(byte[] k, byte[] v) {
      K converted = raw.apply(k);
      if (converted != null) redis.set(converted, raw.apply(v));
      else BinaryFallback.set(k, v);
    }

    public void set(String k, String v, SetArgs args) {
      redis.set(key.apply(k), value.apply(v), args);
    }

    public void setex(String k, long seconds, String v) {
      redis.setex(key.apply(k), seconds, value.apply(v));
    }

    public void psetex(String k, long millis, String v) {
      redis.psetex(key.apply(k), millis, value.apply(v));
    }

    public void setnx(String k, String v) {
      redis.setnx(key.apply(k), value.apply(v));
    }

    public void getset(String k, String v) {
      redis.getset(key.apply(k), value.apply(v));
    }

    public void del(String k) {
      redis.del(key.apply(k));
    }

    @SuppressWarnings("unchecked")
    public void mget(String... keys) {
      Object[] converted = new Object[keys.length];
      for (int i = 0; i < keys.length; i++) converted[i] = key.apply(keys[i]);
      redis.mget(
          (K[])
              java.util.Arrays.copyOf(
                  converted, converted.length, (Class) keyArrayType(converted[0])));
    }

    public void mset(Map<String, String> values) {
      redis.mset(converted(values));
    }

    public void hget(String k, String field) {
      redis.hget(key.apply(k), key.apply(field));
    }

    public void hmget(String k, String... fields) {
      redis.hmget(key.apply(k), keys(fields));
    }

    public void hset(String k, String field, String v) {
      redis.hset(key.apply(k), key.apply(field), value.apply(v));
    }

    public void hset(String k, Map<String, String> values) {
      redis.hset(key.apply(k), converted(values));
    }

    public void hmset(String k, Map<String, String> values) {
      redis.hmset(key.apply(k), converted(values));
    }

    public void hsetnx(String k, String field, String v) {
      redis.hsetnx(key.apply(k), key.apply(field), value.apply(v));
    }

    public void hdel(String k, String... fields) {
      redis.hdel(key.apply(k), keys(fields));
    }

    private Map<K, K> converted(Map<String, String> values) {
      Map<K, K> converted = new LinkedHashMap<>();
      values.forEach((k, v) -> converted.put(key.apply(k), value.apply(v)));
      return converted;
    }

    @SuppressWarnings("unchecked")
    private K[] keys(String... names) {
      Object[] converted = new Object[names.length];
      for (int i = 0; i < names.length; i++) converted[i] = key.apply(names[i]);
      return (K[])
          java.util.Arrays.copyOf(converted, converted.length, (Class) keyArrayType(converted[0]));
    }

    public void finish() {}

    private static Class<?> keyArrayType(Object first) {
      return java.lang.reflect.Array.newInstance(first.getClass(), 0).getClass();
    }
  }

  /**
   * Binary keys on a String-codec surface go through a side connection with the byte[] codec, so
   * every surface records the same binary key counts. Set up by {@link #main}.
   */
  static final class BinaryFallback {
    static RedisCommands<byte[], byte[]> redis;

    static void get(byte[] k) {
      redis().get(k);
    }

    static void set(byte[] k, byte[] v) {
      redis().set(k, v);
    }

    private static RedisCommands<byte[], byte[]> redis() {
      if (redis == null) {
        throw new IllegalStateException("no byte[] connection");
      }
      return redis;
    }
  }

  /** Async API: every command is issued at once and awaited at the end (or on flush). */
  static final class AsyncOps implements Ops {
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisConnection<String, String> manualFlush;
    private final List<RedisFuture<?>> pending = new ArrayList<>();

    AsyncOps(
        RedisAsyncCommands<String, String> redis,
        StatefulRedisConnection<String, String> manualFlush) {
      this.redis = redis;
      this.manualFlush = manualFlush;
      if (manualFlush != null) {
        manualFlush.setAutoFlushCommands(false);
      }
    }

    public void get(String k) {
      pending.add(redis.get(k));
    }

    public void getBinary(byte[] k) {
      BinaryFallback.get(k);
    }

    public void set(String k, String v) {
      pending.add(redis.set(k, v));
    }

    public void setBinary(byte[] k, byte[] v) {
      BinaryFallback.set(k, v);
    }

    public void set(String k, String v, SetArgs args) {
      pending.add(redis.set(k, v, args));
    }

    public void setex(String k, long seconds, String v) {
      pending.add(redis.setex(k, seconds, v));
    }

    public void psetex(String k, long millis, String v) {
      pending.add(redis.psetex(k, millis, v));
    }

    public void setnx(String k, String v) {
      pending.add(redis.setnx(k, v));
    }

    public void getset(String k, String v) {
      pending.add(redis.getset(k, v));
    }

    public void del(String k) {
      pending.add(redis.del(k));
    }

    public void mget(String... keys) {
      pending.add(redis.mget(keys));
    }

    public void mset(Map<String, String> values) {
      pending.add(redis.mset(values));
    }

    public void hget(String k, String field) {
      pending.add(redis.hget(k, field));
    }

    public void hmget(String k, String... fields) {
      pending.add(redis.hmget(k, fields));
    }

    public void hset(String k, String field, String v) {
      pending.add(redis.hset(k, field, v));
    }

    public void hset(String k, Map<String, String> values) {
      pending.add(redis.hset(k, values));
    }

    public void hmset(String k, Map<String, String> values) {
      pending.add(redis.hmset(k, values));
    }

    public void hsetnx(String k, String field, String v) {
      pending.add(redis.hsetnx(k, field, v));
    }

    public void hdel(String k, String... fields) {
      pending.add(redis.hdel(k, fields));
    }

    public void finish() throws Exception {
      if (manualFlush != null) {
        manualFlush.flushCommands();
      }
      for (RedisFuture<?> future : pending) {
        future.get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Reactive API: each command is a Mono, subscribed and awaited in turn. */
  static final class ReactiveOps implements Ops {
    private final RedisReactiveCommands<String, String> redis;

    ReactiveOps(RedisReactiveCommands<String, String> redis) {
      this.redis = redis;
    }

    public void get(String k) {
      redis.get(k).block();
    }

    public void getBinary(byte[] k) {
      BinaryFallback.get(k);
    }

    public void set(String k, String v) {
      redis.set(k, v).block();
    }

    public void setBinary(byte[] k, byte[] v) {
      BinaryFallback.set(k, v);
    }

    public void set(String k, String v, SetArgs args) {
      redis.set(k, v, args).block();
    }

    public void setex(String k, long seconds, String v) {
      redis.setex(k, seconds, v).block();
    }

    public void psetex(String k, long millis, String v) {
      redis.psetex(k, millis, v).block();
    }

    public void setnx(String k, String v) {
      redis.setnx(k, v).block();
    }

    public void getset(String k, String v) {
      redis.getset(k, v).block();
    }

    public void del(String k) {
      redis.del(k).block();
    }

    public void mget(String... keys) {
      redis.mget(keys).collectList().block();
    }

    public void mset(Map<String, String> values) {
      redis.mset(values).block();
    }

    public void hget(String k, String field) {
      redis.hget(k, field).block();
    }

    public void hmget(String k, String... fields) {
      redis.hmget(k, fields).collectList().block();
    }

    public void hset(String k, String field, String v) {
      redis.hset(k, field, v).block();
    }

    public void hset(String k, Map<String, String> values) {
      redis.hset(k, values).block();
    }

    public void hmset(String k, Map<String, String> values) {
      redis.hmset(k, values).block();
    }

    public void hsetnx(String k, String field, String v) {
      redis.hsetnx(k, field, v).block();
    }

    public void hdel(String k, String... fields) {
      redis.hdel(k, fields).block();
    }

    public void finish() {}
  }

  /** Sync API inside MULTI ... EXEC: every reply arrives with EXEC. */
  static final class MultiOps implements Ops {
    private final RedisCommands<String, String> redis;
    private boolean open;

    MultiOps(RedisCommands<String, String> redis) {
      this.redis = redis;
    }

    private RedisCommands<String, String> tx() {
      if (!open) {
        redis.multi();
        open = true;
      }
      return redis;
    }

    public void get(String k) {
      tx().get(k);
    }

    public void getBinary(byte[] k) {
      BinaryFallback.get(k);
    }

    public void set(String k, String v) {
      tx().set(k, v);
    }

    public void setBinary(byte[] k, byte[] v) {
      BinaryFallback.set(k, v);
    }

    public void set(String k, String v, SetArgs args) {
      tx().set(k, v, args);
    }

    public void setex(String k, long seconds, String v) {
      tx().setex(k, seconds, v);
    }

    public void psetex(String k, long millis, String v) {
      tx().psetex(k, millis, v);
    }

    public void setnx(String k, String v) {
      tx().setnx(k, v);
    }

    public void getset(String k, String v) {
      tx().getset(k, v);
    }

    public void del(String k) {
      tx().del(k);
    }

    public void mget(String... keys) {
      tx().mget(keys);
    }

    public void mset(Map<String, String> values) {
      tx().mset(values);
    }

    public void hget(String k, String field) {
      tx().hget(k, field);
    }

    public void hmget(String k, String... fields) {
      tx().hmget(k, fields);
    }

    public void hset(String k, String field, String v) {
      tx().hset(k, field, v);
    }

    public void hset(String k, Map<String, String> values) {
      tx().hset(k, values);
    }

    public void hmset(String k, Map<String, String> values) {
      tx().hmset(k, values);
    }

    public void hsetnx(String k, String field, String v) {
      tx().hsetnx(k, field, v);
    }

    public void hdel(String k, String... fields) {
      tx().hdel(k, fields);
    }

    public void finish() {
      tx().exec();
    }
  }
}
