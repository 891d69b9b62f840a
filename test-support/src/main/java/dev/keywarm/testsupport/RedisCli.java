package dev.keywarm.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * Just enough RESP2 to manage servers (PING, FLUSHALL, CLUSTER ...) without putting a Redis client
 * on the main classpath: the modules under test bring their own Jedis versions and must not see
 * ours. One connection per call; that is plenty for test setup.
 */
final class RedisCli {

  private static final int TIMEOUT_MS = 10_000;

  private RedisCli() {}

  /**
   * Connects, authenticates/selects if asked, sends {@code args}, returns the reply (see {@link
   * #read}).
   */
  static Object call(Endpoint at, String... args) {
    try (Socket socket = connect(at)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (at.password() != null) {
        send(
            out,
            at.user() == null
                ? new String[] {"AUTH", at.password()}
                : new String[] {"AUTH", at.user(), at.password()});
        read(in);
      }
      if (at.db() != 0) {
        send(out, "SELECT", Integer.toString(at.db()));
        read(in);
      }
      send(out, args);
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "redis " + at.host() + ":" + at.port() + " " + args[0] + ": " + e, e);
    }
  }

  private static Socket connect(Endpoint at) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(at.host(), at.port()), TIMEOUT_MS);
      plain.setSoTimeout(TIMEOUT_MS);
      return at.tls()
          ? ((SSLSocketFactory) SSLSocketFactory.getDefault())
              .createSocket(plain, at.host(), at.port(), true)
          : plain;
    } catch (IOException e) {
      plain.close();
      throw e;
    }
  }

  /** Writes a command as a RESP array of bulk strings. */
  static void send(OutputStream out, String... args) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      buf.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.write(bytes);
      buf.write('\r');
      buf.write('\n');
    }
    buf.writeTo(out);
    out.flush();
  }

  /**
   * Reads one RESP2 reply: simple string and bulk string as String, integer as Long, array as List,
   * nil as null; an error reply becomes an {@link IllegalStateException} carrying the server's
   * message.
   */
  static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int len = Integer.parseInt(line);
          if (len < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(len + 2); // payload + CRLF
          if (bytes.length != len + 2) {
            throw new EOFException("truncated bulk string");
          }
          return new String(bytes, 0, len, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          if (count < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            try {
              items.add(read(in));
            } catch (IllegalStateException nestedError) {
              items.add(nestedError); // e.g. inside EXEC: keep reading so the stream stays in sync
            }
          }
          return items;
        }
      case -1:
        throw new EOFException("connection closed by server");
      default:
        throw new IOException("unexpected RESP type byte " + type + " (" + line + ")");
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\r'; b = in.read()) {
      if (b == -1) {
        throw new EOFException("connection closed by server");
      }
      line.write(b);
    }
    in.read(); // '\n'
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Where and how to connect; user/password null when no AUTH is needed. */
  record Endpoint(String host, int port, String user, String password, int db, boolean tls) {

    static Endpoint local(int port, String password) {
      return new Endpoint(RedisServer.LOCALHOST, port, null, password, 0, false);
    }
  }
}
