package dev.keywarm.redis;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * keywarm's own connection to Redis: a minimal RESP2 client that encodes commands into its own
 * buffer, sends them with one write per {@link #flush()} and reads replies in order — all a
 * pipeline needs, at the speed of the link (no per-byte locking as in {@code Buffered*Stream}, and
 * {@link #readReply()} classifies a reply without building objects).
 *
 * <p>Why not a client library: the agent must work whatever client (and version) the application
 * has and its own traffic must never be recorded. No hook matches this class, so that holds by
 * construction, and the agent jar carries no Redis client that could clash with the application's.
 *
 * <p>TLS ({@code rediss://}) checks the certificate chain against the JVM's trust store ({@code
 * javax.net.ssl.trustStore}) and the host name against the certificate, unless the endpoint says
 * {@code ?verifyPeer=CA} (chain only). Connecting authenticates and selects the database; its
 * failures name the step, never a secret.
 */
public final class RespConnection implements Closeable {

  /** What a reply was, for callers that need only that. */
  public enum Reply {
    OK,
    STATUS,
    NIL,
    BULK,
    INTEGER,
    ARRAY,
    ERROR
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final RedisEndpoint endpoint;
  private byte[] buffer = new byte[1 << 16];
  private int length;
  private final byte[] input = new byte[1 << 16];
  private int position;
  private int limit;
  private RedisError lastError;

  RespConnection(Socket socket, InputStream in, OutputStream out, RedisEndpoint endpoint) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.endpoint = endpoint;
  }

  /**
   * Connects, authenticates, selects the database and names the connection {@code clientName} (a
   * courtesy to operators; an old server may refuse it).
   */
  public static RespConnection open(RedisEndpoint endpoint, int timeoutMillis, String clientName)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      if (endpoint.tls()) {
        SSLSocket tls =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, endpoint.host(), endpoint.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(
            endpoint.sslParameters().getEndpointIdentificationAlgorithm());
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        socket = tls;
      }
      RespConnection connection =
          new RespConnection(socket, socket.getInputStream(), socket.getOutputStream(), endpoint);
      connection.handshake(clientName);
      return connection;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private void handshake(String clientName) throws IOException {
    List<String> steps = new ArrayList<>();
    if (endpoint.password() != null) {
      if (endpoint.user() != null) {
        send("AUTH", endpoint.user(), endpoint.password());
      } else {
        send("AUTH", endpoint.password());
      }
      steps.add("AUTH");
    }
    if (endpoint.database() != 0) {
      send("SELECT", Integer.toString(endpoint.database()));
      steps.add("SELECT");
    }
    flush();
    for (String step : steps) {
      if (read() instanceof RedisError error) {
        // the reply to AUTH names no secret, but say which step failed
        throw new IOException(step + " refused by " + endpoint + ": " + error.message());
      }
    }
    if (clientName != null) {
      send("CLIENT", "SETNAME", clientName);
      flush();
      read();
    }
  }

  public RedisEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Queues one command; arguments are byte[], or anything whose toString() is the argument. Strings
   * and whole numbers ({@link Long}, {@link Integer}) are encoded straight into the buffer.
   */
  public void send(Object... arguments) {
    command(arguments.length);
    for (Object argument : arguments) {
      argument(argument);
    }
  }

  // The fixed-arity sends below are what a flush sends per key and per hour (ZINCRBY key n member,
  // HINCRBY key field n, EXPIREAT key t, ZADD key score member): no varargs array, no boxing and,
  // for ASCII strings, no encoded copy — a flush allocates in proportion to what it reads back,
  // not to what it writes.

  /** {@code name key}. */
  public void send(String name, String key) {
    command(2);
    argument(name);
    argument(key);
  }

  /** {@code name key number}, e.g. {@code EXPIREAT key seconds}. */
  public void send(String name, String key, long number) {
    command(3);
    argument(name);
    argument(key);
    argument(number);
  }

  /** {@code name key field}. */
  public void send(String name, String key, String field) {
    command(3);
    argument(name);
    argument(key);
    argument(field);
  }

  /** {@code name key field number}, e.g. {@code HINCRBY key field n}. */
  public void send(String name, String key, String field, long number) {
    command(4);
    argument(name);
    argument(key);
    argument(field);
    argument(number);
  }

  /** {@code name key number member}, e.g. {@code ZINCRBY key n member}. */
  public void send(String name, String key, long number, byte[] member) {
    command(4);
    argument(name);
    argument(key);
    argument(number);
    argument(member);
  }

  /** {@code name key text member}, e.g. {@code ZADD key score member}. */
  public void send(String name, String key, String text, byte[] member) {
    command(4);
    argument(name);
    argument(key);
    argument(text);
    argument(member);
  }

  private void argument(Object argument) {
    if (argument instanceof byte[] raw) {
      argument(raw);
    } else if (argument instanceof String text) {
      argument(text);
    } else if (argument instanceof Long || argument instanceof Integer) {
      argument(((Number) argument).longValue());
    } else {
      argument(argument.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Starts a command of {@code arguments} parts (its name included); then {@link #argument} each.
   */
  public void command(int arguments) {
    put((byte) '*');
    decimal(arguments);
  }

  public void argument(byte[] bytes) {
    put((byte) '$');
    decimal(bytes.length);
    ensure(bytes.length + 2);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
    buffer[length++] = '\r';
    buffer[length++] = '\n';
  }

  /** A whole number as its decimal digits, encoded in place. */
  public void argument(long number) {
    int digits = digits(number);
    put((byte) '$');
    decimal(digits);
    ensure(digits + 2);
    writeDigits(number, digits);
    buffer[length++] = '\r';
    buffer[length++] = '\n';
  }

  /**
   * A string as its UTF-8 bytes: an ASCII string is copied char by char into the buffer, anything
   * else encoded by the JDK (the bytes are the same either way).
   */
  public void argument(String text) {
    int chars = text.length();
    for (int i = 0; i < chars; i++) {
      if (text.charAt(i) >= 0x80) {
        argument(text.getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    put((byte) '$');
    decimal(chars);
    ensure(chars + 2);
    for (int i = 0; i < chars; i++) {
      buffer[length++] = (byte) text.charAt(i);
    }
    buffer[length++] = '\r';
    buffer[length++] = '\n';
  }

  /** Sends everything queued. */
  public void flush() throws IOException {
    if (length > 0) {
      out.write(buffer, 0, length);
      length = 0;
    }
    out.flush();
  }

  /** Reads one reply: String (status), Long, byte[], List, null or {@link RedisError}. */
  public Object read() throws IOException {
    int type = next();
    switch (type) {
      case '+':
        return line();
      case '-':
        return new RedisError(line());
      case ':':
        return number();
      case '$':
        {
          int size = (int) number();
          if (size < 0) {
            return null;
          }
          byte[] bytes = new byte[size];
          readFully(bytes);
          skipLineEnd();
          return bytes;
        }
      case '*':
        {
          int count = (int) number();
          if (count < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            items.add(read());
          }
          return items;
        }
      default:
        throw new IOException("unexpected reply type '" + (char) type + "' from " + endpoint);
    }
  }

  /**
   * Reads one reply and says only what it was, allocating nothing for {@code +OK}, nil, integers
   * and bulk values (skipped); an error is kept as {@link #lastError()}.
   */
  public Reply readReply() throws IOException {
    int type = next();
    switch (type) {
      case '+':
        {
          int first = next();
          int second = first == '\r' ? '\r' : next();
          int third = second == '\r' ? '\r' : next();
          boolean ok = first == 'O' && second == 'K' && third == '\r';
          for (int c = third; c != '\r'; c = next()) {
            // the rest of a longer status
          }
          skipNewline();
          return ok ? Reply.OK : Reply.STATUS;
        }
      case '-':
        lastError = new RedisError(line());
        return Reply.ERROR;
      case ':':
        number();
        return Reply.INTEGER;
      case '$':
        {
          long size = number();
          if (size < 0) {
            return Reply.NIL;
          }
          skip(size + 2);
          return Reply.BULK;
        }
      case '*':
        {
          long count = number();
          for (long i = 0; i < count; i++) {
            readReply();
          }
          return count < 0 ? Reply.NIL : Reply.ARRAY;
        }
      default:
        throw new IOException("unexpected reply type '" + (char) type + "' from " + endpoint);
    }
  }

  /** What {@link #readBulkAtMost} returns for a value longer than allowed (skipped unread). */
  public static final byte[] OVERSIZED = new byte[0];

  /** What {@link #readBulkAtMost} returns for an error reply (kept as {@link #lastError()}). */
  public static final byte[] ERRORED = new byte[0];

  /**
   * Reads a bulk reply of at most {@code maxBytes}: its bytes, null for nil, {@link #OVERSIZED} for
   * a longer value — skipped without ever holding it — or {@link #ERRORED}. Compare the markers by
   * identity.
   */
  public byte[] readBulkAtMost(int maxBytes) throws IOException {
    int type = next();
    switch (type) {
      case '$':
        {
          long size = number();
          if (size < 0) {
            return null;
          }
          if (size > maxBytes) {
            skip(size + 2);
            return OVERSIZED;
          }
          byte[] bytes = new byte[(int) size];
          readFully(bytes);
          skipLineEnd();
          return bytes;
        }
      case '-':
        lastError = new RedisError(line());
        return ERRORED;
      default:
        position--; // not a bulk: let readReply take it whole
        readReply();
        lastError = new RedisError("ERR unexpected reply type '" + (char) type + "'");
        return ERRORED;
    }
  }

  /** Reads an integer reply; {@code orElse} for anything else (an error, nil). */
  public long readLong(long orElse) throws IOException {
    Object reply = read();
    return reply instanceof Long number ? number : orElse;
  }

  /** The last error {@link #readReply()} met. */
  public RedisError lastError() {
    return lastError;
  }

  public void setTimeout(int millis) throws IOException {
    if (socket != null) {
      socket.setSoTimeout(Math.max(1, millis));
    }
  }

  @Override
  public void close() {
    try {
      if (socket != null) {
        socket.close();
      } else {
        in.close();
        out.close();
      }
    } catch (IOException ignored) {
      // closing a broken connection has nothing left to report
    }
  }

  private void put(byte b) {
    ensure(1);
    buffer[length++] = b;
  }

  private void decimal(long value) {
    ensure(22);
    writeDigits(value, digits(value));
    buffer[length++] = '\r';
    buffer[length++] = '\n';
  }

  /** Characters of {@code value} in decimal, its sign included. */
  private static int digits(long value) {
    if (value == Long.MIN_VALUE) {
      return 20;
    }
    int digits = value < 0 ? 2 : 1;
    for (long rest = Math.abs(value); rest >= 10; rest /= 10) {
      digits++;
    }
    return digits;
  }

  /** Writes {@code value} as {@code digits} characters (room ensured by the caller). */
  private void writeDigits(long value, int digits) {
    if (value == Long.MIN_VALUE) {
      byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(text, 0, buffer, length, text.length);
      length += text.length;
      return;
    }
    int end = length + digits;
    long rest = Math.abs(value);
    for (int at = end - 1; at >= length; at--) {
      buffer[at] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    if (value < 0) {
      buffer[length] = '-';
    }
    length = end;
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }

  private int next() throws IOException {
    if (position == limit) {
      limit = in.read(input, 0, input.length);
      position = 0;
      if (limit <= 0) {
        limit = 0;
        throw new EOFException("connection closed by " + endpoint);
      }
    }
    return input[position++] & 0xFF;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = next(); c != '\r'; c = next()) {
      line.append((char) c);
    }
    skipNewline();
    return new String(
        line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  /** A decimal line without a String: sizes, counts, integer replies. */
  private long number() throws IOException {
    long value = 0;
    int c = next();
    boolean negative = c == '-';
    if (negative) {
      c = next();
    }
    for (; c != '\r'; c = next()) {
      if (c < '0' || c > '9') {
        throw new IOException("malformed reply from " + endpoint + ": not a number");
      }
      value = value * 10 + (c - '0');
    }
    skipNewline();
    return negative ? -value : value;
  }

  private void skipNewline() throws IOException {
    if (next() != '\n') {
      throw new IOException("malformed reply from " + endpoint + ": CR without LF");
    }
  }

  private void skipLineEnd() throws IOException {
    if (next() != '\r') {
      throw new IOException("malformed reply from " + endpoint + ": bulk value too long");
    }
    skipNewline();
  }

  private void readFully(byte[] bytes) throws IOException {
    int filled = 0;
    while (filled < bytes.length) {
      if (position == limit) {
        next();
        position--;
      }
      int take = Math.min(bytes.length - filled, limit - position);
      System.arraycopy(input, position, bytes, filled, take);
      position += take;
      filled += take;
    }
  }

  private void skip(long bytes) throws IOException {
    while (bytes > 0) {
      if (position == limit) {
        next();
        position--;
      }
      int take = (int) Math.min(bytes, limit - position);
      position += take;
      bytes -= take;
    }
  }
}
