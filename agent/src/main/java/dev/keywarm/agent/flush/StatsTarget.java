package dev.keywarm.agent.flush;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.redis.RedisEndpoint;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.ssl.SSLSocket;

/**
 * Where the flusher writes: the configured {@code redis} endpoint, or else the first Redis the
 * application itself connects to (seen by a hook on the client's socket factory). A discovered
 * endpoint carries no credentials: the application's password is not the agent's to read, so a
 * password-protected Redis needs the {@code redis} option.
 */
public final class StatsTarget {

  private static volatile RedisEndpoint discovered;

  /**
   * True when the stats go to a configured {@code redis}: the discovered one is then only the
   * cache.
   */
  private static volatile boolean statsConfigured;

  /** The context class loader of the thread that first connected: the application's own. */
  private static volatile ClassLoader applicationLoader;

  private StatsTarget() {}

  /** The application opened {@code socket} to a Redis; the first one becomes the default target. */
  public static void connected(Socket socket) {
    try {
      if (discovered != null || socket == null) {
        return;
      }
      SocketAddress address = socket.getRemoteSocketAddress();
      if (address instanceof InetSocketAddress inet) {
        configured(inet.getHostString(), inet.getPort(), socket instanceof SSLSocket);
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** The application set up a client for {@code host:port} (Lettuce connects through Netty). */
  public static void configured(String host, int port, boolean tls) {
    try {
      if (discovered != null || host == null || port <= 0) {
        return;
      }
      RedisEndpoint endpoint = new RedisEndpoint(host, port, tls, null, null, 0, null);
      synchronized (StatsTarget.class) {
        if (discovered == null) {
          applicationLoader = Thread.currentThread().getContextClassLoader();
          discovered = endpoint;
          if (statsConfigured) {
            AgentLog.debug("the application uses Redis " + endpoint);
          } else {
            AgentLog.info(
                "stats target: the application's Redis "
                    + endpoint
                    + " (set redis=... to choose another)");
          }
        }
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** The agent writes its stats to a configured Redis, not to the one the application uses. */
  public static void statsConfigured(boolean configured) {
    statsConfigured = configured;
  }

  public static RedisEndpoint discovered() {
    return discovered;
  }

  /** The class loader the application's Redis code ran under, or the system loader. */
  public static ClassLoader applicationLoader() {
    ClassLoader loader = applicationLoader;
    return loader != null ? loader : ClassLoader.getSystemClassLoader();
  }
}
