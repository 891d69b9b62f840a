package dev.keywarm.demo;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import redis.clients.jedis.JedisPooled;

/** The shop's cache client, Jedis or Lettuce: the two commands cache-aside needs. */
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
      default ->
          throw new IllegalArgumentException("client must be jedis or lettuce, not " + client);
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
}
