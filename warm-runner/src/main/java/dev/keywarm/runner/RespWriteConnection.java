package dev.keywarm.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The writer's own RESP2 connection to a standalone Redis, for one reason: throughput. A batch of
 * {@code SET key value NX PX ttl} / {@code RESTORE} commands is encoded straight into one byte array
 * and sent with one write and the replies are parsed in one pass (no per-command objects), which is several
 * times what a Jedis pipeline reaches on the same connection. Cluster targets keep Jedis's
 * {@code ClusterPipeline}, which groups by node and follows redirects.
 */
final class RespWriteConnection implements AutoCloseable {

  /** Per-command outcome. */
  enum Reply { WROTE, EXISTED, ERROR }

  private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESTORE = "RESTORE".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NX = "NX".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PX = "PX".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  // own buffers, not Buffered*Stream: those synchronise on every byte, and this is the hot loop
  private byte[] buf = new byte[1 << 16];
  private int len;
  private final byte[] rbuf = new byte[1 << 16];
  private int rpos;
  private int rlen;
  private String lastError;

  private RespWriteConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  static RespWriteConnection open(String uri, Duration timeout) throws IOException {
    URI parsed = URI.create(uri);
    var hostAndPort = JedisURIHelper.getHostAndPort(parsed);
    Socket socket = JedisURIHelper.isRedisSSLScheme(parsed)
        ? SSLSocketFactory.getDefault().createSocket() : new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(hostAndPort.getHost(), hostAndPort.getPort()),
          (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      RespWriteConnection connection = new RespWriteConnection(socket);
      String user = JedisURIHelper.getUser(parsed);
      String password = JedisURIHelper.getPassword(parsed);
      if (password != null) {
        connection.expectOk(user == null ? List.of("AUTH", password) : List.of("AUTH", user, password));
      }
      int db = JedisURIHelper.getDBIndex(parsed);
      if (db != 0) {
        connection.expectOk(List.of("SELECT", Integer.toString(db)));
      }
      return connection;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends one command per write, then reads every reply; {@code replies[i]} is the i-th outcome. */
  void write(List<PipelinedWriter.Write> writes, Reply[] replies) throws IOException {
    for (PipelinedWriter.Write w : writes) {
      byte[] key = w.entry().key();
      byte[] value = w.value().bytes();
      if (w.value().kind() == dev.keywarm.loader.LoadedValue.Kind.DUMP) {
        header(4);
        bulk(RESTORE);
        bulk(key);
        bulk(Long.toString(w.ttlMillis()).getBytes(StandardCharsets.US_ASCII));
        bulk(value);
      } else if (w.ttlMillis() > 0) {
        header(6);
        bulk(SET);
        bulk(key);
        bulk(value);
        bulk(NX);
        bulk(PX);
        bulk(Long.toString(w.ttlMillis()).getBytes(StandardCharsets.US_ASCII));
      } else {
        header(4);
        bulk(SET);
        bulk(key);
        bulk(value);
        bulk(NX);
      }
    }
    flush();
    for (int i = 0; i < writes.size(); i++) {
      replies[i] = readReply();
    }
  }

  /** The text of the last error reply (for the log). */
  String lastError() {
    return lastError;
  }

  private void header(int args) {
    put((byte) '*');
    putInt(args);
  }

  private void bulk(byte[] bytes) {
    put((byte) '$');
    putInt(bytes.length);
    ensure(bytes.length + 2);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  private void putInt(int n) {
    ensure(12);
    if (n < 10) {
      buf[len++] = (byte) ('0' + n);
    } else {
      byte[] digits = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(digits, 0, buf, len, digits.length);
      len += digits.length;
    }
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  private void flush() throws IOException {
    out.write(buf, 0, len);
    out.flush();
    len = 0;
  }

  private int read() throws IOException {
    if (rpos == rlen) {
      rlen = in.read(rbuf, 0, rbuf.length);
      rpos = 0;
      if (rlen <= 0) {
        rlen = 0;
        throw new IOException("connection closed by Redis");
      }
    }
    return rbuf[rpos++];
  }

  /** {@code +OK} wrote; nil (SET NX declined) or {@code -BUSYKEY} (RESTORE) existed; other errors. */
  private Reply readReply() throws IOException {
    int type = read();
    String line = readLine();
    switch (type) {
      case '+':
        return Reply.WROTE;
      case '$':
        if (line.equals("-1")) {
          return Reply.EXISTED;
        }
        for (int i = Integer.parseInt(line) + 2; i > 0; i--) {
          read();
        }
        return Reply.WROTE;
      case '-':
        if (line.startsWith("BUSYKEY")) {
          return Reply.EXISTED;
        }
        lastError = line;
        return Reply.ERROR;
      default:
        throw new IOException("unexpected reply type '" + (char) type + "': " + line);
    }
  }

  private String readLine() throws IOException {
    // the replies here are "+OK" and "$-1": skip the String for the common one
    StringBuilder sb = null;
    int c;
    int n = 0;
    byte first = 0;
    byte second = 0;
    while ((c = read()) != '\r') {
      if (n == 0) {
        first = (byte) c;
      } else if (n == 1) {
        second = (byte) c;
      } else {
        if (sb == null) {
          sb = new StringBuilder().append((char) first).append((char) second);
        }
        sb.append((char) c);
      }
      n++;
    }
    read(); // '\n'
    if (sb != null) {
      return sb.toString();
    }
    if (n == 2 && first == 'O' && second == 'K') {
      return "OK";
    }
    return n == 0 ? "" : n == 1 ? String.valueOf((char) first) : "" + (char) first + (char) second;
  }

  private void expectOk(List<String> command) throws IOException {
    header(command.size());
    for (String arg : command) {
      bulk(arg.getBytes(StandardCharsets.UTF_8));
    }
    flush();
    if (readReply() != Reply.WROTE) {
      throw new IOException("Redis refused " + command.get(0) + ": " + lastError);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a broken connection: nothing left to do
    }
  }
}
