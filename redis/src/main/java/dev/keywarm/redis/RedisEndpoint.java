package dev.keywarm.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A Redis server as keywarm addresses it: {@code redis://[[user]:password@]host[:port][/db]}, or
 * {@code rediss://} for TLS, optionally {@code ?verifyPeer=CA} (see {@link TlsVerification}).
 *
 * <p>One rule for the user-info, the URI rule of RFC 3986: {@code %XX} is a percent-encoded byte
 * (UTF-8), every other character stands for itself — so {@code +} is a plus, never a space (that is
 * HTML form encoding), and a password containing {@code @ : / % #} is written with {@code %40 %3A
 * %2F %25 %23}. {@link #toString()} masks the password; it is the only place keywarm masks one, so
 * an endpoint, or {@link #redact(String)} of any URL, can go into any log line. Two endpoints are
 * equal when they reach the same server as the same user.
 */
public record RedisEndpoint(
    String host,
    int port,
    boolean tls,
    String user,
    String password,
    int database,
    TlsVerification verification) {

  public static final int DEFAULT_PORT = 6379;
  private static final String FORM = "redis://[user:password@]host[:port][/db]";

  /** How a TLS peer is checked. */
  public enum TlsVerification {
    /** The certificate chain and the host name (the default). */
    FULL,
    /**
     * The certificate chain only: for servers reached by an address their certificate does not
     * name.
     */
    CA
  }

  public RedisEndpoint {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host; expected " + FORM);
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1-65535 but was " + port);
    }
    if (database < 0) {
      throw new IllegalArgumentException("database must not be negative");
    }
    verification = verification == null ? TlsVerification.FULL : verification;
  }

  /** A plain endpoint without credentials. */
  public static RedisEndpoint of(String host, int port) {
    return new RedisEndpoint(host, port, false, null, null, 0, TlsVerification.FULL);
  }

  /**
   * @throws IllegalArgumentException with a message that never contains the password
   */
  public static RedisEndpoint parse(String url) {
    if (url == null) {
      throw new IllegalArgumentException("no URL; expected " + FORM);
    }
    String text = url.trim();
    int schemeEnd = text.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException("not a URL; expected " + FORM);
    }
    String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException(
          "scheme must be redis:// or rediss:// but was '"
              + (scheme.length() > 10 ? scheme.substring(0, 10) + "…" : scheme)
              + "'");
    }
    String rest = text.substring(schemeEnd + 3);
    String query = null;
    // the query starts after the user-info: a '?' in a password is part of the password
    int question = rest.indexOf('?', Math.max(0, rest.lastIndexOf('@')));
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    // the user-info ends at the last '@' before the path: an unencoded '@' in a password still
    // works
    int slash = rest.indexOf('/', Math.max(0, rest.lastIndexOf('@')));
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password =
            decode(userInfo); // redis://secret@host: a password alone, as Redis 5 and older take it
      } else {
        user = colon == 0 ? null : decode(userInfo.substring(0, colon));
        password = decode(userInfo.substring(colon + 1));
      }
    }
    String host = authority;
    int port = DEFAULT_PORT;
    int portColon =
        authority.startsWith("[")
            ? authority.indexOf(':', authority.indexOf(']'))
            : authority.lastIndexOf(':');
    if (portColon >= 0) {
      host = authority.substring(0, portColon);
      try {
        port = Integer.parseInt(authority.substring(portColon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port must be a number, as in redis://host:6379");
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host; expected " + FORM);
    }
    int database = 0;
    if (!path.isEmpty()) {
      try {
        database = Integer.parseInt(path);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("database must be a number, as in redis://host:6379/0");
      }
    }
    return new RedisEndpoint(
        host, port, scheme.equals("rediss"), user, password, database, verification(query));
  }

  private static TlsVerification verification(String query) {
    if (query == null || query.isEmpty()) {
      return TlsVerification.FULL;
    }
    TlsVerification found = TlsVerification.FULL;
    for (String parameter : query.split("&")) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      String value = equals < 0 ? "" : parameter.substring(equals + 1);
      if (!name.equalsIgnoreCase("verifyPeer")) {
        throw new IllegalArgumentException(
            "unknown URL parameter '" + name + "'; the one keywarm knows is verifyPeer=FULL|CA");
      }
      try {
        found = TlsVerification.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("verifyPeer must be FULL or CA");
      }
    }
    return found;
  }

  /** Percent-decoding by RFC 3986: {@code %XX} bytes as UTF-8, everything else as it is. */
  static String decode(String part) {
    if (part.indexOf('%') < 0) {
      return part;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '%'
          && i + 2 < part.length()
          && isHex(part.charAt(i + 1))
          && isHex(part.charAt(i + 2))) {
        bytes.write(Integer.parseInt(part.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (c == '%') {
        throw new IllegalArgumentException(
            "a '%' in the user or password must start %XX " + "(write a '%' itself as %25)");
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters. */
  static String encode(String part) {
    StringBuilder out = new StringBuilder();
    for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /**
   * The TLS policy, for this layer's connection and for any client library given this endpoint:
   * with {@link TlsVerification#FULL} the peer's certificate must name the host (HTTPS rules).
   */
  public javax.net.ssl.SSLParameters sslParameters() {
    javax.net.ssl.SSLParameters parameters = new javax.net.ssl.SSLParameters();
    if (verification == TlsVerification.FULL) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    return parameters;
  }

  /** The same credentials and database on another node (a MOVED redirection, a discovered node). */
  /**
   * True if both name the same server (host and port), whatever database or credentials: what one
   * restart of the server takes down together.
   */
  public boolean sameServer(RedisEndpoint other) {
    return other != null && port == other.port && host.equalsIgnoreCase(other.host);
  }

  public RedisEndpoint withAddress(String newHost, int newPort) {
    return new RedisEndpoint(newHost, newPort, tls, user, password, database, verification);
  }

  /** The same server with other credentials. */
  public RedisEndpoint withCredentials(String newUser, String newPassword) {
    return new RedisEndpoint(host, port, tls, newUser, newPassword, database, verification);
  }

  /**
   * The full URL, password included, that {@link #parse} reads back to this endpoint. For clients
   * only.
   */
  public String toUrl() {
    return format(password == null ? null : encode(password));
  }

  /** The URL with the password masked: safe for any log line. */
  @Override
  public String toString() {
    return format(password == null ? null : "***");
  }

  private String format(String secret) {
    StringBuilder url = new StringBuilder(tls ? "rediss://" : "redis://");
    if (secret != null) { // a user without a password never authenticates: not written
      url.append(user == null ? "" : encode(user)).append(':').append(secret).append('@');
    }
    url.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(port);
    if (database != 0) {
      url.append('/').append(database);
    }
    if (verification != TlsVerification.FULL) {
      url.append("?verifyPeer=").append(verification);
    }
    return url.toString();
  }

  /**
   * Any text meant as a Redis URL, safe to print: the endpoint with its password masked, or, when
   * the text does not parse, a placeholder — never the text, which may hold a password.
   */
  public static String redact(String url) {
    try {
      return parse(url).toString();
    } catch (IllegalArgumentException e) {
      return "(a Redis URL that does not parse)";
    }
  }
}
