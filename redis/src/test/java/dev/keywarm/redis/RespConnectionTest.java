package dev.keywarm.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec against byte streams: every reply type, replies split across reads, errors. */
class RespConnectionTest {

  private static final RedisEndpoint NOWHERE = RedisEndpoint.of("test", 6379);

  /** Hands out at most {@code chunk} bytes per read: a reply arrives in pieces. */
  private static InputStream chunked(String text, int chunk) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static RespConnection replies(String text, int chunk) {
    return new RespConnection(null, chunked(text, chunk), new ByteArrayOutputStream(), NOWHERE);
  }

  private static final String EVERY_TYPE =
      "+OK\r\n+QUEUED\r\n-ERR wrong number\r\n:42\r\n:-7\r\n"
          + "$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*2\r\n$1\r\na\r\n:1\r\n*-1\r\n*0\r\n+\r\n";

  @Test
  void readsEveryReplyTypeWholeAndInPieces() throws IOException {
    for (int chunk : new int[] {1 << 16, 1, 2, 3, 7}) {
      RespConnection c = replies(EVERY_TYPE, chunk);
      assertEquals("OK", c.read());
      assertEquals("QUEUED", c.read());
      assertEquals(new RedisError("ERR wrong number"), c.read());
      assertEquals(42L, c.read());
      assertEquals(-7L, c.read());
      assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), (byte[]) c.read());
      assertArrayEquals(new byte[0], (byte[]) c.read());
      assertNull(c.read());
      List<?> array = (List<?>) c.read();
      assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), (byte[]) array.get(0));
      assertEquals(1L, array.get(1));
      assertNull(c.read());
      assertEquals(List.of(), c.read());
      assertEquals("", c.read());
    }
  }

  @Test
  void classifiesEveryReplyTypeWithoutObjects() throws IOException {
    for (int chunk : new int[] {1 << 16, 1, 2, 5}) {
      RespConnection c = replies(EVERY_TYPE, chunk);
      List<RespConnection.Reply> expected =
          List.of(
              RespConnection.Reply.OK,
              RespConnection.Reply.STATUS,
              RespConnection.Reply.ERROR,
              RespConnection.Reply.INTEGER,
              RespConnection.Reply.INTEGER,
              RespConnection.Reply.BULK,
              RespConnection.Reply.BULK,
              RespConnection.Reply.NIL,
              RespConnection.Reply.ARRAY,
              RespConnection.Reply.NIL,
              RespConnection.Reply.ARRAY,
              RespConnection.Reply.STATUS);
      for (RespConnection.Reply reply : expected) {
        assertEquals(reply, c.readReply(), "chunk " + chunk);
        if (reply == RespConnection.Reply.ERROR) {
          assertEquals("ERR", c.lastError().code());
        }
      }
    }
  }

  @Test
  void aLargeBulkValueSpansManyBuffers() throws IOException {
    byte[] big = new byte[200_000];
    java.util.Arrays.fill(big, (byte) 'v');
    String text =
        "$" + big.length + "\r\n" + new String(big, StandardCharsets.ISO_8859_1) + "\r\n:1\r\n";
    assertArrayEquals(big, (byte[]) replies(text, 1 << 16).read());
    RespConnection skipping = replies(text, 4096);
    assertEquals(RespConnection.Reply.BULK, skipping.readReply());
    assertEquals(RespConnection.Reply.INTEGER, skipping.readReply(), "the next reply is intact");
  }

  @Test
  void aClosedOrMalformedStreamIsAnIOExceptionNamingTheServer() {
    assertThrows(EOFException.class, () -> replies("$5\r\nhel", 2).read());
    assertThrows(EOFException.class, () -> replies("", 1).readReply());
    IOException unknown = assertThrows(IOException.class, () -> replies("?huh\r\n", 1).read());
    assertTrue(unknown.getMessage().contains("redis://test:6379"), unknown.getMessage());
    assertThrows(IOException.class, () -> replies("$2\r\nabc\r\n", 1).read());
  }

  @Test
  void encodesCommandsAsRespArraysOfBulkStrings() throws IOException {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    RespConnection c = new RespConnection(null, chunked("", 1), sent, NOWHERE);
    c.send("SET", new byte[] {'k', 0, (byte) 0xFF}, 12L);
    c.command(2);
    c.argument("GET".getBytes(StandardCharsets.US_ASCII));
    c.argument(1234567890123L);
    c.flush();
    byte[] expected =
        ("*3\r\n$3\r\nSET\r\n$3\r\nk\0\u00FF\r\n$2\r\n12\r\n"
                + "*2\r\n$3\r\nGET\r\n$13\r\n1234567890123\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertArrayEquals(expected, sent.toByteArray());
  }

  /** The fixed-arity sends put on the wire exactly what the varargs send does. */
  @Test
  void fixedAritySendsEncodeLikeTheGeneralOne() throws IOException {
    byte[] member = {'m', 0, (byte) 0xC3, (byte) 0xA9};
    long[] numbers = {0, 7, -1, 10, 99, -100, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE};
    for (String key : new String[] {"", "k", "{shop}:h:2026120122:hits", "k\u00e9y", "\u20ac"}) {
      for (long n : numbers) {
        assertSameWire(c -> c.send("ZINCRBY", key, n, member), "ZINCRBY", key, n, member);
        assertSameWire(c -> c.send("EXPIREAT", key, n), "EXPIREAT", key, n);
        assertSameWire(c -> c.send("HINCRBY", key, "f\u00e9", n), "HINCRBY", key, "f\u00e9", n);
      }
      assertSameWire(c -> c.send("ZADD", key, "0.25", member), "ZADD", key, "0.25", member);
      assertSameWire(c -> c.send("HGET", key, "field"), "HGET", key, "field");
      assertSameWire(c -> c.send("GET", key), "GET", key);
    }
    assertSameWire(c -> c.send("X", 12, 5_000_000_000L, 1.5), "X", "12", "5000000000", "1.5");
  }

  private interface Sender {
    void send(RespConnection connection);
  }

  /** What {@code sender} queues equals the RESP array of {@code parts} encoded as UTF-8. */
  private static void assertSameWire(Sender sender, Object... parts) throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (Object part : parts) {
      byte[] bytes =
          part instanceof byte[] raw ? raw : part.toString().getBytes(StandardCharsets.UTF_8);
      expected.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes(bytes);
      expected.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    RespConnection c = new RespConnection(null, chunked("", 1), sent, NOWHERE);
    sender.send(c);
    c.flush();
    assertArrayEquals(expected.toByteArray(), sent.toByteArray());
  }

  @Test
  void aMalformedNumberIsAnIOException() {
    assertThrows(IOException.class, () -> replies(":4x2\r\n", 1).read());
    assertThrows(IOException.class, () -> replies("$a\r\n", 1).read());
  }

  @Test
  void classifiesErrors() {
    assertEquals(RedisError.Kind.MOVED, new RedisError("MOVED 3999 127.0.0.1:6381").kind());
    assertEquals(RedisError.Kind.ASK, new RedisError("ASK 3999 127.0.0.1:6381").kind());
    assertEquals(RedisError.Kind.TRANSIENT, new RedisError("LOADING Redis is loading").kind());
    assertEquals(
        RedisError.Kind.TRANSIENT, new RedisError("NOAUTH Authentication required.").kind());
    assertEquals(
        RedisError.Kind.REJECTED, new RedisError("WRONGTYPE Operation against a key").kind());
    assertEquals(RedisError.Kind.REJECTED, new RedisError("BUSYKEY Target key name exists").kind());
    RedisEndpoint from = RedisEndpoint.parse("rediss://u:pw@10.0.0.1:7000/0");
    assertEquals(
        from.withAddress("10.0.0.2", 7001),
        new RedisError("MOVED 12 10.0.0.2:7001").redirectTarget(from));
    assertEquals(
        from.withAddress("10.0.0.1", 7002), new RedisError("MOVED 12 :7002").redirectTarget(from));
  }
}
