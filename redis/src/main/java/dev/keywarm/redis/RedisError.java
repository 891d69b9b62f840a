package dev.keywarm.redis;

/**
 * An error reply ({@code -ERR ...}), returned by {@link RespConnection#read()} rather than thrown
 * so that a pipeline reads on, and classified once for every part of keywarm.
 */
public record RedisError(String message) {

  /** What a caller should do about an error. */
  public enum Kind {
    /** {@code MOVED slot host:port}: the key's slot lives on another cluster node; resend there. */
    MOVED,
    /** {@code ASK slot host:port}: this one command goes to another node (a slot in migration). */
    ASK,
    /**
     * The same command may succeed later (loading, failover, a busy script, out of memory, ACL).
     */
    TRANSIENT,
    /**
     * This command will never succeed as it is (wrong type, syntax, unknown command, BUSYKEY...).
     */
    REJECTED
  }

  /** The error code: the first word ({@code ERR}, {@code WRONGTYPE}, {@code MOVED}...). */
  public String code() {
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  public Kind kind() {
    return switch (code()) {
      case "MOVED" -> Kind.MOVED;
      case "ASK" -> Kind.ASK;
      case "LOADING",
          "BUSY",
          "TRYAGAIN",
          "CLUSTERDOWN",
          "MASTERDOWN",
          "READONLY",
          "OOM",
          "NOAUTH",
          "WRONGPASS",
          "NOREPLICAS",
          "MISCONF" ->
          Kind.TRANSIENT; // not NOPERM: this user may never run this command, retrying never helps
      default -> Kind.REJECTED;
    };
  }

  public boolean isMoved() {
    return kind() == Kind.MOVED;
  }

  public boolean isTransient() {
    return kind() == Kind.TRANSIENT;
  }

  /**
   * For MOVED and ASK: the node to go to, with this endpoint's credentials. An empty host (a node
   * announcing itself without an address) means the same host.
   */
  public RedisEndpoint redirectTarget(RedisEndpoint from) {
    String[] parts = message.split(" ");
    int colon = parts.length == 3 ? parts[2].lastIndexOf(':') : -1;
    if (colon < 0 || (kind() != Kind.MOVED && kind() != Kind.ASK)) {
      throw new IllegalArgumentException("not a redirection: " + message);
    }
    String host = parts[2].substring(0, colon);
    int port = Integer.parseInt(parts[2].substring(colon + 1));
    return from.withAddress(host.isEmpty() ? from.host() : host, port);
  }
}
