package dev.keywarm.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Payloads as a real redis-server's {@code DUMP} gives them, read back to the bytes written. */
class DumpPayloadTest {

  private static RedisServer server;
  private static RespConnection redis;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start("--save", "");
    redis = RespConnection.open(RedisEndpoint.parse(server.uri()), 2_000, "dump-test");
  }

  @AfterAll
  static void stop() throws Exception {
    if (redis != null) {
      redis.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Object call(Object... arguments) throws Exception {
    redis.send(arguments);
    redis.flush();
    return redis.read();
  }

  private static byte[] dumpOf(byte[] value) throws Exception {
    call("SET", "k", value);
    return (byte[]) call("DUMP", "k");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void everyStringEncodingComesBackByteForByte() throws Exception {
    Random random = new Random(7);
    List<byte[]> values = new ArrayList<>();
    for (String s :
        List.of(
            "",
            "a",
            "0",
            "-1",
            "127",
            "-128",
            "128",
            "32767",
            "-32768",
            "40000",
            "2147483647",
            "-2147483648",
            "2147483648",
            "9223372036854775807",
            "007",
            "+5",
            "1.5",
            " 12")) {
      values.add(ascii(s));
    }
    values.add(ascii("x".repeat(1_024))); // LZF: long runs
    values.add(
        ascii("{\"id\":42,\"name\":\"product 42\",\"tags\":[\"a\",\"a\",\"a\",\"a\"]}".repeat(50)));
    for (int size : new int[] {63, 64, 16_383, 16_384, 70_000}) {
      byte[] noise = new byte[size]; // incompressible: stored plain, each length form
      random.nextBytes(noise);
      values.add(noise);
    }
    byte[] zeros = new byte[5_000];
    values.add(zeros);
    for (byte[] value : values) {
      assertArrayEquals(value, DumpPayload.stringValue(dumpOf(value)), "value of " + value.length);
    }
  }

  @Test
  void otherTypesAndDamagedPayloadsAreLeftToRestore() throws Exception {
    call("DEL", "h");
    call("HSET", "h", "f", "v");
    assertNull(DumpPayload.stringValue((byte[]) call("DUMP", "h")));
    byte[] payload = dumpOf(ascii("some value"));
    byte[] damaged = payload.clone();
    damaged[3] ^= 1; // the checksum no longer matches
    assertNull(DumpPayload.stringValue(damaged));
    assertNull(DumpPayload.stringValue(Arrays.copyOf(payload, 5)));
    assertNull(DumpPayload.stringValue(new byte[0]));
    assertNull(DumpPayload.stringValue(null));
  }

  @Test
  void theChecksumIsRedisCrc64() {
    assertEquals(0xe9c6d914c4b8d9caL, DumpPayload.crc64(ascii("123456789"), 9));
  }
}
