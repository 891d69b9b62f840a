package dev.keywarm.demo;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import redis.clients.jedis.JedisPooled;

/** The shop's cache client, Jedis, Lettuce or Redisson: the two commands cache-aside needs. */
interface ShopCache extends AutoCloseable {

  byte[] get(byte[] key);

  void setex(byte[] key, long seconds, byte[] value);

  /** A health check's round trip. */
  void ping();

  @Override
  void close();

  static ShopCache connect(String client, String host, int port) {
    return switch (client) {
      case "jedis" -> new Jedis(new JedisPooled(host, port));
      case "lettuce" -> Lettuce.connect(host, port);
      case "redisson" -> Redisson.connect(host, port);
      default ->
          throw new IllegalArgumentException(
              "client must be jedis, lettuce or redisson, not " + client);
    };
  }

  /** A connection pool, one connection per call. */
  record Jedis(JedisPooled pool) implements ShopCache {
    @Override
    public byte[] get(byte[] key) {
      return pool.get(key);
    }

    @Override
    public void setex(byte[] key, long seconds, byte[] value) {
      pool.setex(key, seconds, value);
    }

    @Override
    public void ping() {
      pool.ping();
    }

    @Override
    public void close() {
      pool.close();
    }
  }

  /** One thread-safe connection shared by every worker, as Lettuce is meant to be used. */
  record Lettuce(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection)
      implements ShopCache {
    static Lettuce connect(String host, int port) {
      RedisClient client =
          RedisClient.create(
              RedisURI.builder()
                  .withHost(host)
                  .withPort(port)
                  .withTimeout(Duration.ofSeconds(1))
                  .build());
      return new Lettuce(client, client.connect(ByteArrayCodec.INSTANCE));
    }

    @Override
    public byte[] get(byte[] key) {
      return connection.sync().get(key);
    }

    @Override
    public void setex(byte[] key, long seconds, byte[] value) {
      connection.sync().setex(key, seconds, value);
    }

    @Override
    public void ping() {
      connection.sync().ping();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }

  /**
   * Redisson's {@code RBucket} with a byte-array codec, the way a Redisson application caches a
   * value: {@code GET} and {@code SET … PX}. Retries are cut to one after 100 ms (Redisson's
   * default retries for 4.5 s), so that a request waits about as long as with the other clients
   * while the demo restarts the cache.
   */
  record Redisson(org.redisson.api.RedissonClient client) implements ShopCache {
    static Redisson connect(String host, int port) {
      org.redisson.config.Config config = new org.redisson.config.Config();
      config.setCodec(org.redisson.client.codec.ByteArrayCodec.INSTANCE);
      config
          .useSingleServer()
          .setAddress("redis://" + host + ":" + port)
          .setTimeout(1_000)
          .setRetryAttempts(1)
          .setRetryInterval(100)
          .setConnectionMinimumIdleSize(8)
          .setConnectionPoolSize(64);
      return new Redisson(org.redisson.Redisson.create(config));
    }

    private org.redisson.api.RBucket<byte[]> bucket(byte[] key) {
      return client.getBucket(new String(key, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public byte[] get(byte[] key) {
      return bucket(key).get();
    }

    @Override
    public void setex(byte[] key, long seconds, byte[] value) {
      bucket(key).set(value, Duration.ofSeconds(seconds));
    }

    @Override
    public void ping() {
      client.getKeys().count();
    }

    @Override
    public void close() {
      client.shutdown();
    }
  }
}
