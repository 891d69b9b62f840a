package dev.keywarm.analyzer.cli;

import dev.keywarm.redis.RedisEndpoint;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The stats Redis from a {@code redis[s]://[user:password@]host[:port][/db]} URL. Connects and
 * PINGs at once, so a bad URL, an unreachable host or wrong credentials fail here as one {@link
 * UnusableRedisException} whose message never contains the password.
 */
final class RedisTarget {

  private static final int TIMEOUT_MILLIS = 10_000;

  private RedisTarget() {}

  static Jedis connect(String url) {
    RedisEndpoint endpoint;
    try {
      endpoint = RedisEndpoint.parse(url);
    } catch (IllegalArgumentException e) {
      throw new UnusableRedisException("not a Redis URL: " + e.getMessage());
    }
    return connect(endpoint);
  }

  private static Jedis connect(RedisEndpoint endpoint) {
    Jedis jedis = null;
    try {
      jedis =
          new Jedis(
              new HostAndPort(endpoint.host(), endpoint.port()),
              DefaultJedisClientConfig.builder()
                  .user(endpoint.user())
                  .password(endpoint.password())
                  .database(endpoint.database())
                  .ssl(endpoint.tls())
                  .sslParameters(endpoint.sslParameters())
                  .timeoutMillis(TIMEOUT_MILLIS)
                  .build());
      jedis.ping();
      return jedis;
    } catch (JedisException | IllegalArgumentException e) {
      if (jedis != null) {
        jedis.close();
      }
      throw new UnusableRedisException("cannot use Redis at " + endpoint + ": " + reason(e));
    }
  }

  /**
   * The stats Redis for one app: on Redis Cluster, the node that owns the app's hash tag (every
   * keywarm key of one app lives in that one slot), found by following the MOVED that any other
   * node answers.
   */
  static Jedis connectForApp(String url, dev.keywarm.schema.KeySchema schema) {
    Jedis jedis = connect(url);
    RedisEndpoint seed = RedisEndpoint.parse(url);
    for (int redirects = 0; redirects < 3; redirects++) {
      try {
        jedis.exists(schema.currentPlan());
        return jedis;
      } catch (redis.clients.jedis.exceptions.JedisMovedDataException moved) {
        HostAndPort owner = moved.getTargetNode();
        jedis.close();
        jedis = connect(seed.withAddress(owner.getHost(), owner.getPort()));
      }
    }
    return jedis;
  }

  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }

  static final class UnusableRedisException extends RuntimeException {
    UnusableRedisException(String message) {
      super(message);
    }
  }
}
