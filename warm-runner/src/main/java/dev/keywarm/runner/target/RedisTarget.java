package dev.keywarm.runner.target;

import dev.keywarm.redis.RedisEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
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
  private final HostAndPort node;
  private final JedisClientConfig config;

  /** What the server declared to {@code COMMAND INFO}, by command name; asked once each. */
  private final java.util.Map<String, Boolean> declared =
      new java.util.concurrent.ConcurrentHashMap<>();

  private RedisTarget(
      UnifiedJedis client,
      boolean cluster,
      String display,
      RedisEndpoint endpoint,
      Duration timeout,
      HostAndPort node,
      JedisClientConfig config) {
    this.client = client;
    this.cluster = cluster;
    this.display = display;
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.node = node;
    this.config = config;
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
        return new RedisTarget(client, cluster, display, endpoint, timeout, node, config);
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

  /**
   * True if the server has per-field TTLs on hashes (Redis 7.4+: {@code HPEXPIRE}), asked once with
   * {@code COMMAND INFO HPEXPIRE} — what the server declares, not its version string, so a fork
   * that has the command counts too — and remembered for this target. On a cluster the node of the
   * URI is asked (a rolling upgrade's mixed versions are not told apart). A server that refuses the
   * question (an ACL without {@code COMMAND}) is taken to have none: the hash-TTL way is right on
   * every version, only coarser.
   *
   * @throws JedisException if the server cannot be reached (not remembered: asked again next time)
   */
  public boolean supportsFieldTtl() {
    return declares("HPEXPIRE");
  }

  /**
   * True if {@code SET} takes {@code PXAT} (Redis 6.2+), so a restored string can be written with
   * {@code SET key value NX PXAT expiry} instead of {@code RESTORE … ABSTTL}: asked as {@code
   * COMMAND INFO GETEX}, the command 6.2 brought with {@code PXAT}, remembered like {@link
   * #supportsFieldTtl}.
   *
   * @throws JedisException if the server cannot be reached (not remembered)
   */
  public boolean supportsSetPxAt() {
    return declares("GETEX");
  }

  private boolean declares(String command) {
    Boolean known = declared.get(command);
    if (known == null) {
      try (Jedis probe = new Jedis(node, config)) {
        Object info = probe.sendCommand(Protocol.Command.COMMAND, "INFO", command);
        known = info instanceof List<?> list && !list.isEmpty() && list.get(0) != null;
      } catch (JedisDataException e) {
        known = false;
      }
      declared.put(command, known);
    }
    return known;
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
