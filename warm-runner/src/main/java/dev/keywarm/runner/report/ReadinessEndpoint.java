package dev.keywarm.runner.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny HTTP readiness endpoint (JDK {@code com.sun.net.httpserver}, one thread): any path answers
 * 503 while warming and 200 once ready, with the current JSON status as the body. Port 0 picks a
 * free port ({@link #port()}).
 */
public final class ReadinessEndpoint implements AutoCloseable {

  private final HttpServer server;
  private volatile boolean ready;
  private volatile String body = "{}";

  public ReadinessEndpoint(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public void update(boolean ready, String json) {
    this.body = json;
    this.ready = ready;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(ready ? 200 : 503, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
