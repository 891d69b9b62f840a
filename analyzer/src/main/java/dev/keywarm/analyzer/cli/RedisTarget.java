package dev.keywarm.analyzer.cli;

import java.net.URI;
import java.net.URISyntaxException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The stats Redis from a {@code redis[s]://[user:password@]host[:port][/db]} URL. Connects and PINGs
 * at once, so a bad URL, an unreachable host or wrong credentials fail here as one
 * {@link UnusableRedisException} whose message never contains the password.
 */
final class RedisTarget {

  private static final int TIMEOUT_MILLIS = 10_000;

  private RedisTarget() {}

  static Jedis connect(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new UnusableRedisException("not a Redis URL (expected redis://host:port): " + redacted(url));
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new UnusableRedisException("not a Redis URL (expected redis://host:port or rediss://…): "
          + redacted(url));
    }
    String where = redacted(uri);
    Jedis jedis = null;
    try {
      jedis = new Jedis(uri, TIMEOUT_MILLIS);
      jedis.ping();
      return jedis;
    } catch (JedisException | IllegalArgumentException e) {
      if (jedis != null) {
        jedis.close();
      }
      throw new UnusableRedisException("cannot use Redis at " + where + ": " + reason(e));
    }
  }

  /**
   * The stats Redis for one app: on Redis Cluster, the node that owns the app's hash tag (every keywarm
   * key of one app lives in that one slot), found by following the MOVED that any other node answers.
   */
  static Jedis connectForApp(String url, dev.keywarm.schema.KeySchema schema) {
    Jedis jedis = connect(url);
    for (int redirects = 0; redirects < 3; redirects++) {
      try {
        jedis.exists(schema.currentPlan());
        return jedis;
      } catch (redis.clients.jedis.exceptions.JedisMovedDataException moved) {
        redis.clients.jedis.HostAndPort owner = moved.getTargetNode();
        URI seed = URI.create(url);
        String ownerUrl = seed.getScheme() + "://" + (seed.getRawUserInfo() == null ? ""
            : seed.getRawUserInfo() + "@") + owner.getHost() + ":" + owner.getPort();
        jedis.close();
        jedis = connect(ownerUrl);
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

  static String redacted(URI uri) {
    return uri.getScheme() + "://" + (uri.getUserInfo() != null ? "***@" : "") + uri.getHost()
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + (uri.getPath() == null ? "" : uri.getPath());
  }

  private static String redacted(String url) {
    return url.replaceAll("//[^@/]*@", "//***@");
  }

  static final class UnusableRedisException extends RuntimeException {
    UnusableRedisException(String message) {
      super(message);
    }
  }
}
