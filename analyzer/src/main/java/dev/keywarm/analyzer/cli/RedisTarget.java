package dev.keywarm.analyzer.cli;

import dev.keywarm.analyzer.read.StatsNodes;
import dev.keywarm.redis.RedisEndpoint;
import java.io.IOException;
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
   * The stats Redis: on Redis Cluster a connection to every master, keys routed by slot (an app's
   * hourly shards live on several nodes, its own keys on the node owning its hash tag); on a
   * standalone server the one connection. Any node of a cluster is a seed.
   */
  static StatsNodes connectStats(String url) {
    Jedis seed = connect(url);
    RedisEndpoint endpoint = RedisEndpoint.parse(url);
    try {
      StatsNodes nodes =
          StatsNodes.connect(
              endpoint, TIMEOUT_MILLIS, node -> node.sameServer(endpoint) ? seed : connect(node));
      if (nodes.endpoints().stream().noneMatch(endpoint::sameServer)) {
        seed.close(); // a cluster seed that is no master (a replica): not one of the nodes
      }
      return nodes;
    } catch (IOException e) {
      seed.close();
      throw new UnusableRedisException("cannot use Redis at " + endpoint + ": " + reason(e));
    } catch (RuntimeException e) {
      seed.close();
      throw e;
    }
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
