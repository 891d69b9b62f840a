package dev.keywarm.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fallback for machines without redis-server: the binary packed in the embedded-redis jar. */
class EmbeddedBinaryIT {

  @Test
  void forcedEmbeddedBinaryAnswersAndIsRedis62() {
    RedisServer redis;
    System.setProperty(RedisBinary.PROPERTY, "embedded");
    try {
      redis = RedisServer.start();
    } finally {
      System.clearProperty(RedisBinary.PROPERTY);
    }
    try (redis) {
      assertEquals("PONG", redis.command("PING"));
      String info = (String) redis.command("INFO", "server");
      assertTrue(info.contains("redis_version:6.2."), info);
      assertTrue(info.contains("keywarm-redis-server-"), "runs the extracted file: " + info);
    }
  }

  @Test
  void everyMappedPlatformHasItsBinaryInTheJar() {
    String[][] platforms = {
      {"Linux", "amd64"}, {"Linux", "aarch64"}, {"Linux", "x86"},
      {"Mac OS X", "x86_64"}, {"Mac OS X", "aarch64"}, {"Windows 11", "amd64"},
    };
    for (String[] platform : platforms) {
      String name = RedisBinary.embeddedResourceName(platform[0], platform[1]);
      assertNotNull(getClass().getClassLoader().getResource(name), name);
    }
    assertThrows(
        IllegalStateException.class, () -> RedisBinary.embeddedResourceName("Linux", "riscv64"));
  }

  @Test
  void unknownForcedChoiceIsRejected() {
    System.setProperty(RedisBinary.PROPERTY, "docker");
    try {
      assertThrows(IllegalStateException.class, RedisServer::start);
    } finally {
      System.clearProperty(RedisBinary.PROPERTY);
    }
  }
}
