package dev.keywarm.agent.metrics;

import dev.keywarm.agent.log.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The agent's own Prometheus endpoint ({@code prometheus=[host:]port}): {@code GET /metrics} (any
 * path) answers the meters in the text format, one request per connection ({@code Connection:
 * close}), on one daemon thread; a request head must arrive within 5 s in all, so a slow client
 * holds it no longer than that.
 *
 * <p>A plain {@link ServerSocket}, not the JDK's {@code com.sun.net.httpserver}: the agent's
 * classes live on the bootstrap class path, and {@code jdk.httpserver} belongs to the platform
 * class loader, which bootstrap classes cannot see. A scrape is a GET with a few headers, so
 * reading up to the blank line (at most 8 KB, 5 s) is all the HTTP needed. A port that cannot be
 * bound costs one log line, never the application.
 */
public final class PrometheusEndpoint {

  private static final int MAX_REQUEST_BYTES = 8 * 1024;
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final Supplier<String> body;
  private volatile ServerSocket socket;

  private PrometheusEndpoint(Supplier<String> body) {
    this.body = body;
  }

  /** Serves {@code body} on {@code host:port} from a daemon thread; host null = every interface. */
  public static PrometheusEndpoint start(String host, int port, Supplier<String> body) {
    PrometheusEndpoint endpoint = new PrometheusEndpoint(body);
    Thread thread = new Thread(() -> endpoint.serve(host, port), "keywarm-prometheus");
    thread.setDaemon(true);
    thread.start();
    return endpoint;
  }

  private void serve(String host, int port) {
    try (ServerSocket server =
        new ServerSocket(port, 16, host == null ? null : InetAddress.getByName(host))) {
      socket = server;
      AgentLog.info(
          "metrics: Prometheus endpoint on http://"
              + (host == null ? "0.0.0.0" : host)
              + ":"
              + server.getLocalPort()
              + "/metrics");
      while (true) {
        try (Socket client = server.accept()) {
          client.setSoTimeout(READ_TIMEOUT_MILLIS);
          answer(client);
        } catch (Throwable e) {
          // one scraper's broken or slow connection, or a failed render: the next one is served
        }
      }
    } catch (IOException | RuntimeException e) {
      AgentLog.warn("metrics: Prometheus endpoint not started on port " + port + ": " + e);
    }
  }

  private void answer(Socket client) throws IOException {
    String requestLine = readHead(client.getInputStream());
    byte[] content;
    String status = "200 OK";
    if (requestLine == null || !requestLine.startsWith("GET ")) {
      status = "405 Method Not Allowed";
      content = "only GET\n".getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        content = body.get().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        status = "500 Internal Server Error";
        content = ("metrics unavailable: " + e + "\n").getBytes(StandardCharsets.UTF_8);
      }
    }
    OutputStream out = client.getOutputStream();
    out.write(
        ("HTTP/1.1 "
                + status
                + "\r\nContent-Type: "
                + PrometheusText.CONTENT_TYPE
                + "\r\nContent-Length: "
                + content.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(content);
    out.flush();
  }

  /** The request line, after reading the head up to its blank line; null if cut short. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    long deadline = System.nanoTime() + READ_TIMEOUT_MILLIS * 1_000_000L;
    try {
      for (int b = in.read();
          b >= 0 && head.length() < MAX_REQUEST_BYTES && System.nanoTime() - deadline < 0;
          b = in.read()) {
        head.append((char) b);
        int n = head.length();
        if (n >= 4 && head.substring(n - 4).equals("\r\n\r\n")
            || n >= 2 && head.substring(n - 2).equals("\n\n")) {
          int end = head.indexOf("\n");
          return head.substring(0, end).trim();
        }
      }
    } catch (SocketTimeoutException e) {
      return null;
    }
    return null;
  }

  /** The bound port, or -1 before it is bound (or if it could not be). */
  public int port() {
    ServerSocket bound = socket;
    return bound == null ? -1 : bound.getLocalPort();
  }
}
