package dev.keywarm.analyzer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.testsupport.RedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Value sizes for the coverage curve, from a real server: keys by MEMORY USAGE, fields apart. */
class MemoryUsageSamplerIT {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aHashFieldIsSizedByItsOwnBytesNeverSentAsAKeyName() {
    try (RedisServer redis = RedisServer.start("--save", "");
        Jedis jedis = new Jedis(URI.create(redis.uri()))) {
      jedis.set("k", "x".repeat(100));
      jedis.hset("h", "profile", "y".repeat(40));
      long[] sizes =
          new MemoryUsageSampler(jedis, "test")
              .sizes(
                  List.of(
                      bytes("k"),
                      FieldMember.encode(bytes("h"), bytes("profile")),
                      FieldMember.encode(bytes("h"), bytes("gone")),
                      bytes("no-such-key")));
      assertTrue(sizes[0] >= 100, "MEMORY USAGE of k: " + sizes[0]);
      assertEquals(40 + "profile".length(), sizes[1]);
      assertEquals(-1, sizes[2], "no such field: no sample");
      assertEquals(-1, sizes[3]);
    }
  }
}
