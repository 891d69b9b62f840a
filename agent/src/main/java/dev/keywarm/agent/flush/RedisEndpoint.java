package dev.keywarm.agent.flush;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the stats go: {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://} for
 * TLS. {@link #toString()} never prints the password, so an endpoint can go into any log line; two
 * endpoints are equal when they reach the same server as the same user.
 */
public record RedisEndpoint(String host, int port, boolean tls, String user, String password,
    int database) {

  /** @throws IllegalArgumentException with a message that does not contain the password */
  public static RedisEndpoint parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL; expected redis://[user:password@]host[:port][/db]");
    }
    String scheme = uri.getScheme();
    if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("scheme must be redis:// or rediss:// but was '"
          + scheme + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host; expected redis://[user:password@]host[:port][/db]");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = decode(userInfo);
      } else {
        user = colon == 0 ? null : decode(userInfo.substring(0, colon));
        password = decode(userInfo.substring(colon + 1));
      }
    }
    int database = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("database must be a number, as in redis://host:6379/0");
      }
    }
    boolean tls = "rediss".equalsIgnoreCase(scheme);
    int port = uri.getPort() > 0 ? uri.getPort() : 6379;
    return new RedisEndpoint(uri.getHost(), port, tls, user, password, database);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  /** The same credentials and database on another node (a MOVED redirection). */
  public RedisEndpoint withAddress(String newHost, int newPort) {
    return new RedisEndpoint(newHost, newPort, tls, user, password, database);
  }

  @Override
  public String toString() {
    String credentials = password == null ? "" : (user == null ? "" : user) + ":***@";
    return (tls ? "rediss://" : "redis://") + credentials + host + ":" + port
        + (database == 0 ? "" : "/" + database);
  }
}
