package dev.keywarm.agent.it;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RMap;
import org.redisson.api.RMapCache;
import org.redisson.api.RedissonClient;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.api.RedissonRxClient;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * An unmodified Redisson program running one known sequence ({@link RedissonSequence}) of bucket,
 * map and map-cache calls through each Redisson API: sync, async, reactive and RxJava, with {@code
 * StringCodec} so every key and field byte is known. Uses only API that 3.17 and 3.50 share. Args:
 * {@code standalone <redis://host:port>} or {@code cluster <redis://host:port>}, then the
 * namespace.
 */
public final class RedissonScenario {

  static final String[] SURFACES = {"sync", "async", "reactive", "rx"};

  /** The calls of the sequence, blocking, over any Redisson API. */
  interface Ops {
    Object get(String key);

    void set(String key, String value);

    boolean trySet(String key, String value);

    boolean setIfAbsent(String key, String value);

    Object getAndSet(String key, String value);

    Object getAndDelete(String key);

    Map<String, Object> bucketsGet(String... keys);

    Object mapGet(String map, String field);

    Object mapPut(String map, String field, String value);

    boolean mapFastPut(String map, String field, String value);

    Object mapPutIfAbsent(String map, String field, String value);

    Map<String, Object> mapGetAll(String map, Set<String> fields);

    Object cacheGet(String map, String field);

    Object cachePut(String map, String field, String value);

    Object cacheRemove(String map, String field);
  }

  public static void main(String[] args) throws Exception {
    RedissonClient client = client(args[0], args[1]);
    String namespace = args[2];
    try {
      for (String surface : SURFACES) {
        RedissonSequence.run(namespace + ":" + surface, ops(client, surface, StringCodec.INSTANCE));
      }
    } finally {
      client.shutdown();
    }
    System.out.println("scenario done");
  }

  static RedissonClient client(String mode, String address) {
    Config config = new Config();
    if (mode.equals("cluster")) {
      config.useClusterServers().addNodeAddress(address);
    } else {
      config.useSingleServer().setAddress(address);
    }
    return Redisson.create(config);
  }

  static Ops ops(RedissonClient client, String surface, Codec codec) {
    return switch (surface) {
      case "sync" -> new SyncOps(client, codec);
      case "async" -> new AsyncOps(client, codec);
      case "reactive" -> new ReactiveOps(client.reactive(), codec);
      case "rx" -> new RxOps(client.rxJava(), codec);
      default -> throw new IllegalArgumentException(surface);
    };
  }

  private static <T> T await(java.util.concurrent.Future<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> set(String... values) {
    return new LinkedHashSet<>(List.of(values));
  }

  private record SyncOps(RedissonClient r, Codec codec) implements Ops {
    private RBucket<Object> bucket(String key) {
      return r.getBucket(key, codec);
    }

    private RMap<Object, Object> map(String name) {
      return r.getMap(name, codec);
    }

    private RMapCache<Object, Object> cache(String name) {
      return r.getMapCache(name, codec);
    }

    public Object get(String key) {
      return bucket(key).get();
    }

    public void set(String key, String value) {
      bucket(key).set(value);
    }

    public boolean trySet(String key, String value) {
      return bucket(key).trySet(value);
    }

    public boolean setIfAbsent(String key, String value) {
      return bucket(key).setIfAbsent(value);
    }

    public Object getAndSet(String key, String value) {
      return bucket(key).getAndSet(value);
    }

    public Object getAndDelete(String key) {
      return bucket(key).getAndDelete();
    }

    public Map<String, Object> bucketsGet(String... keys) {
      return r.getBuckets(codec).get(keys);
    }

    public Object mapGet(String map, String field) {
      return map(map).get(field);
    }

    public Object mapPut(String map, String field, String value) {
      return map(map).put(field, value);
    }

    public boolean mapFastPut(String map, String field, String value) {
      return map(map).fastPut(field, value);
    }

    public Object mapPutIfAbsent(String map, String field, String value) {
      return map(map).putIfAbsent(field, value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<String, Object> mapGetAll(String map, Set<String> fields) {
      return (Map) map(map).getAll((Set) fields);
    }

    public Object cacheGet(String map, String field) {
      return cache(map).get(field);
    }

    public Object cachePut(String map, String field, String value) {
      return cache(map).put(field, value);
    }

    public Object cacheRemove(String map, String field) {
      return cache(map).remove(field);
    }
  }

  private record AsyncOps(RedissonClient r, Codec codec) implements Ops {
    private RBucket<Object> bucket(String key) {
      return r.getBucket(key, codec);
    }

    private RMap<Object, Object> map(String name) {
      return r.getMap(name, codec);
    }

    private RMapCache<Object, Object> cache(String name) {
      return r.getMapCache(name, codec);
    }

    public Object get(String key) {
      return await(bucket(key).getAsync());
    }

    public void set(String key, String value) {
      await(bucket(key).setAsync(value));
    }

    public boolean trySet(String key, String value) {
      return await(bucket(key).trySetAsync(value));
    }

    public boolean setIfAbsent(String key, String value) {
      return await(bucket(key).setIfAbsentAsync(value));
    }

    public Object getAndSet(String key, String value) {
      return await(bucket(key).getAndSetAsync(value));
    }

    public Object getAndDelete(String key) {
      return await(bucket(key).getAndDeleteAsync());
    }

    public Map<String, Object> bucketsGet(String... keys) {
      return await(r.getBuckets(codec).<Object>getAsync(keys));
    }

    public Object mapGet(String map, String field) {
      return await(map(map).getAsync(field));
    }

    public Object mapPut(String map, String field, String value) {
      return await(map(map).putAsync(field, value));
    }

    public boolean mapFastPut(String map, String field, String value) {
      return await(map(map).fastPutAsync(field, value));
    }

    public Object mapPutIfAbsent(String map, String field, String value) {
      return await(map(map).putIfAbsentAsync(field, value));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<String, Object> mapGetAll(String map, Set<String> fields) {
      return (Map) await(map(map).getAllAsync((Set) fields));
    }

    public Object cacheGet(String map, String field) {
      return await(cache(map).getAsync(field));
    }

    public Object cachePut(String map, String field, String value) {
      return await(cache(map).putAsync(field, value));
    }

    public Object cacheRemove(String map, String field) {
      return await(cache(map).removeAsync(field));
    }
  }

  private record ReactiveOps(RedissonReactiveClient r, Codec codec) implements Ops {
    public Object get(String key) {
      return r.getBucket(key, codec).get().block();
    }

    public void set(String key, String value) {
      r.getBucket(key, codec).set(value).block();
    }

    public boolean trySet(String key, String value) {
      return r.getBucket(key, codec).trySet(value).block();
    }

    public boolean setIfAbsent(String key, String value) {
      return r.getBucket(key, codec).setIfAbsent(value).block();
    }

    public Object getAndSet(String key, String value) {
      return r.getBucket(key, codec).getAndSet(value).block();
    }

    public Object getAndDelete(String key) {
      return r.getBucket(key, codec).getAndDelete().block();
    }

    public Map<String, Object> bucketsGet(String... keys) {
      return r.getBuckets(codec).<Object>get(keys).block();
    }

    public Object mapGet(String map, String field) {
      return r.getMap(map, codec).get(field).block();
    }

    public Object mapPut(String map, String field, String value) {
      return r.getMap(map, codec).put(field, value).block();
    }

    public boolean mapFastPut(String map, String field, String value) {
      return r.getMap(map, codec).fastPut(field, value).block();
    }

    public Object mapPutIfAbsent(String map, String field, String value) {
      return r.getMap(map, codec).putIfAbsent(field, value).block();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<String, Object> mapGetAll(String map, Set<String> fields) {
      return (Map) r.getMap(map, codec).getAll((Set) fields).block();
    }

    public Object cacheGet(String map, String field) {
      return r.getMapCache(map, codec).get(field).block();
    }

    public Object cachePut(String map, String field, String value) {
      return r.getMapCache(map, codec).put(field, value).block();
    }

    public Object cacheRemove(String map, String field) {
      return r.getMapCache(map, codec).remove(field).block();
    }
  }

  private record RxOps(RedissonRxClient r, Codec codec) implements Ops {
    public Object get(String key) {
      return r.getBucket(key, codec).get().blockingGet();
    }

    public void set(String key, String value) {
      r.getBucket(key, codec).set(value).blockingAwait();
    }

    public boolean trySet(String key, String value) {
      return r.getBucket(key, codec).trySet(value).blockingGet();
    }

    public boolean setIfAbsent(String key, String value) {
      return r.getBucket(key, codec).setIfAbsent(value).blockingGet();
    }

    public Object getAndSet(String key, String value) {
      return r.getBucket(key, codec).getAndSet(value).blockingGet();
    }

    public Object getAndDelete(String key) {
      return r.getBucket(key, codec).getAndDelete().blockingGet();
    }

    public Map<String, Object> bucketsGet(String... keys) {
      return r.getBuckets(codec).<Object>get(keys).blockingGet();
    }

    public Object mapGet(String map, String field) {
      return r.getMap(map, codec).get(field).blockingGet();
    }

    public Object mapPut(String map, String field, String value) {
      return r.getMap(map, codec).put(field, value).blockingGet();
    }

    public boolean mapFastPut(String map, String field, String value) {
      return r.getMap(map, codec).fastPut(field, value).blockingGet();
    }

    public Object mapPutIfAbsent(String map, String field, String value) {
      return r.getMap(map, codec).putIfAbsent(field, value).blockingGet();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<String, Object> mapGetAll(String map, Set<String> fields) {
      return (Map) r.getMap(map, codec).getAll((Set) fields).blockingGet();
    }

    public Object cacheGet(String map, String field) {
      return r.getMapCache(map, codec).get(field).blockingGet();
    }

    public Object cachePut(String map, String field, String value) {
      return r.getMapCache(map, codec).put(field, value).blockingGet();
    }

    public Object cacheRemove(String map, String field) {
      return r.getMapCache(map, codec).remove(field).blockingGet();
    }
  }
}
