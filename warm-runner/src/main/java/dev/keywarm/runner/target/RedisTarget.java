package dev.keywarm.runner.target;

import dev.keywarm.redis.RedisEndpoint;
import java.time.Duration;
import java.util.Set;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis to read from or write to, standalone or cluster: one node is asked {@code INFO cluster}
 * and a cluster gets a {@link JedisCluster} (whose pipelines group commands by node), anything else
 * a {@link JedisPooled}. Connecting retries with back-off (100 ms doubling to 2 s) until {@code
 * giveUpAfter}, then fails with the redacted URI and the last error.
 */
public final class RedisTarget implements AutoCloseable {

  private final UnifiedJedis client;
  private final boolean cluster;
  private final String display;
  private final RedisEndpoint endpoint;
  private final Duration timeout;

  private RedisTarget(
      UnifiedJedis client,
      boolean cluster,
      String display,
      RedisEndpoint endpoint,
      Duration timeout) {
    this.client = client;
    this.cluster = cluster;
    this.display = display;
    this.endpoint = endpoint;
    this.timeout = timeout;
  }

  /**
   * @throws IllegalArgumentException for a URL that does not parse (its message holds no secret)
   */
  public static RedisTarget connect(String uri, Duration timeout, Duration giveUpAfter) {
    RedisEndpoint endpoint = RedisEndpoint.parse(uri);
    String display = endpoint.toString();
    JedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .user(endpoint.user())
            .password(endpoint.password())
            .database(endpoint.database())
            .ssl(endpoint.tls())
            .sslParameters(endpoint.sslParameters())
            .connectionTimeoutMillis((int) timeout.toMillis())
            .socketTimeoutMillis((int) timeout.toMillis())
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .build();
    HostAndPort node = new HostAndPort(endpoint.host(), endpoint.port());
    long deadline = System.nanoTime() + giveUpAfter.toNanos();
    long backoffMillis = 100;
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        boolean cluster;
        try (Jedis probe = new Jedis(node, config)) {
          cluster = probe.info("cluster").contains("cluster_enabled:1");
        }
        UnifiedJedis client =
            cluster ? new JedisCluster(Set.of(node), config) : new JedisPooled(node, config);
        return new RedisTarget(client, cluster, display, endpoint, timeout);
      } catch (JedisException e) {
        if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
          throw new RedisUnavailableException(
              "Redis "
                  + display
                  + " unreachable after "
                  + attempts
                  + " attempts over "
                  + giveUpAfter.toMillis()
                  + " ms: "
                  + e.getMessage(),
              e);
        }
        sleep(backoffMillis);
        backoffMillis = Math.min(2_000, backoffMillis * 2);
      }
    }
  }

  public UnifiedJedis client() {
    return client;
  }

  public RedisEndpoint endpoint() {
    return endpoint;
  }

  public Duration timeout() {
    return timeout;
  }

  public boolean isCluster() {
    return cluster;
  }

  @Override
  public String toString() {
    return display + (cluster ? " (cluster)" : "");
  }

  @Override
  public void close() {
    client.close();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisUnavailableException("interrupted while waiting for Redis", e);
    }
  }
}
