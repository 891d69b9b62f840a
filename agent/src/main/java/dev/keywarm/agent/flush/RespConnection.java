package dev.keywarm.agent.flush;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The agent's own connection to the stats Redis: a minimal RESP2 client that writes commands into a
 * buffer and reads their replies in order, which is all a pipelined flush needs.
 *
 * <p>Why not the application's client: the agent must work whatever client (and version) the
 * application has, and its own traffic must never be recorded. No hook matches this class, so that
 * holds by construction, and the agent jar carries no Redis client that could clash with the
 * application's.
 */
public final class RespConnection implements Closeable {

  /** An error reply ({@code -ERR ...}); returned, not thrown, so a pipeline can read on. */
  public record ErrorReply(String message) {
    boolean isMoved() {
      return message.startsWith("MOVED ");
    }

    /** Errors after which the same command may succeed later: the batch is retried. */
    boolean isTransient() {
      String code = message.split(" ", 2)[0];
      return switch (code) {
        case "LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY", "OOM",
            "NOAUTH", "WRONGPASS", "NOPERM" -> true;
        default -> false;
      };
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final RedisEndpoint endpoint;

  private RespConnection(Socket socket, RedisEndpoint endpoint) throws IOException {
    this.socket = socket;
    this.endpoint = endpoint;
    this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
  }

  /** Connects, authenticates and selects the database; fails with a message free of secrets. */
  public static RespConnection open(RedisEndpoint endpoint, int timeoutMillis) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      if (endpoint.tls()) {
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
            .createSocket(socket, endpoint.host(), endpoint.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        socket = tls;
      }
      RespConnection connection = new RespConnection(socket, endpoint);
      connection.handshake();
      return connection;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private void handshake() throws IOException {
    int replies = 0;
    if (endpoint.password() != null) {
      if (endpoint.user() != null) {
        send("AUTH", endpoint.user(), endpoint.password());
      } else {
        send("AUTH", endpoint.password());
      }
      replies++;
    }
    if (endpoint.database() != 0) {
      send("SELECT", Integer.toString(endpoint.database()));
      replies++;
    }
    flush();
    for (int i = 0; i < replies; i++) {
      if (read() instanceof ErrorReply error) {
        // the reply to AUTH names no secret, but say which step failed
        throw new IOException((i == 0 && endpoint.password() != null ? "AUTH" : "SELECT")
            + " refused by " + endpoint + ": " + error.message());
      }
    }
    send("CLIENT", "SETNAME", "keywarm-agent");
    flush();
    read(); // naming the connection is a courtesy to operators; an old server may refuse it
  }

  public RedisEndpoint endpoint() {
    return endpoint;
  }

  /** Queues one command; arguments are byte[], String or Long. Call {@link #flush()} to send. */
  public void send(Object... arguments) throws IOException {
    out.write('*');
    writeDecimal(arguments.length);
    for (Object argument : arguments) {
      byte[] bytes;
      if (argument instanceof byte[] raw) {
        bytes = raw;
      } else {
        bytes = argument.toString().getBytes(StandardCharsets.UTF_8);
      }
      out.write('$');
      writeDecimal(bytes.length);
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
  }

  public void flush() throws IOException {
    out.flush();
  }

  /** Reads one reply: String, Long, byte[], List, null or {@link ErrorReply}. */
  public Object read() throws IOException {
    int type = in.read();
    switch (type) {
      case '+':
        return readLine();
      case '-':
        return new ErrorReply(readLine());
      case ':':
        return Long.parseLong(readLine());
      case '$': {
        int length = Integer.parseInt(readLine());
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
          throw new EOFException("connection closed by " + endpoint);
        }
        readLine();
        return bytes;
      }
      case '*': {
        int count = Integer.parseInt(readLine());
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      }
      case -1:
        throw new EOFException("connection closed by " + endpoint);
      default:
        throw new IOException("unexpected reply type '" + (char) type + "' from " + endpoint);
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\r'; c = in.read()) {
      if (c == -1) {
        throw new EOFException("connection closed by " + endpoint);
      }
      line.append((char) c);
    }
    in.read(); // '\n'
    return line.toString();
  }

  private void writeDecimal(long value) throws IOException {
    out.write(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
  }

  void setTimeout(int millis) throws IOException {
    socket.setSoTimeout(Math.max(1, millis));
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a broken socket has nothing left to report
    }
  }
}
