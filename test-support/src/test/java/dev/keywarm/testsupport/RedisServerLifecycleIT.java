package dev.keywarm.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Process control; uses startLocal so it runs even when REDIS_URL points at an external server. */
class RedisServerLifecycleIT {

  @Test
  void stoppedServerRefusesConnections() {
    try (RedisServer redis = RedisServer.startLocal()) {
      assertTrue(redis.isRunning());
      redis.stop();
      assertFalse(redis.isRunning());
      assertThrows(ConnectException.class, () -> new Socket(redis.host(), redis.port()).close());
    }
  }

  @Test
  void restartUsesSamePortAndStartsEmpty() {
    try (RedisServer redis = RedisServer.startLocal()) {
      int port = redis.port();
      redis.command("SET", "k", "v");
      redis.restart();
      assertEquals(port, redis.port());
      assertEquals("PONG", redis.command("PING"));
      assertNull(redis.command("GET", "k"));
      assertEquals(0L, redis.command("DBSIZE"));
    }
  }

  @Test
  void killedServerCanBeRestarted() {
    try (RedisServer redis = RedisServer.startLocal()) {
      redis.command("SET", "k", "v");
      redis.kill();
      assertFalse(redis.isRunning());
      assertThrows(ConnectException.class, () -> new Socket(redis.host(), redis.port()).close());
      redis.restart();
      assertTrue(redis.isRunning());
      assertEquals(0L, redis.command("DBSIZE"));
    }
  }

  @Test
  void closeDeletesTempDir() throws Exception {
    RedisServer redis = RedisServer.startLocal();
    Path dir = Path.of((String) ((java.util.List<?>) redis.command("CONFIG", "GET", "dir")).get(1));
    assertTrue(Files.isDirectory(dir));
    redis.close();
    assertFalse(Files.exists(dir), dir.toString());
  }

  @Test
  void startupFailureReportsLogTail() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> RedisServer.startLocal("--no-such-directive", "1"));
    assertTrue(e.getMessage().contains("no-such-directive"), e.getMessage());
  }

  @Test
  void passwordIsUsedByCommandAndUri() {
    try (RedisServer redis = RedisServer.startLocal("--requirepass", "s3cret")) {
      assertEquals("redis://:s3cret@127.0.0.1:" + redis.port(), redis.uri());
      assertEquals("PONG", redis.command("PING"));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> RedisCli.call(RedisCli.Endpoint.local(redis.port(), null), "GET", "x"));
      assertTrue(e.getMessage().startsWith("NOAUTH"), e.getMessage());
    }
  }

  @Test
  void externalServerIsUsedButNeverControlled() {
    try (RedisServer owned = RedisServer.startLocal("--requirepass", "s3cret")) {
      String url = "redis://default:s3cret@127.0.0.1:" + owned.port() + "/2";
      RedisServer external = RedisServer.external(url);
      assertFalse(external.canRestart());
      assertEquals(url, external.uri());
      assertEquals("OK", external.command("SET", "k", "v"));
      assertEquals(1L, external.command("DBSIZE"), "db 2 from the URL");
      assertEquals(0L, owned.command("DBSIZE"), "db 0 untouched");
      assertThrows(IllegalStateException.class, external::flushAll);
      assertThrows(IllegalStateException.class, external::stop);
      assertThrows(IllegalStateException.class, external::restart);
      external.close();
      assertTrue(external.isRunning());
      assertTrue(owned.isRunning());
    }
  }

  @Test
  void commandOnStoppedServerFailsWithConnectException() {
    RedisServer redis = RedisServer.startLocal();
    redis.close();
    Exception e = assertThrows(java.io.UncheckedIOException.class, () -> redis.command("PING"));
    assertInstanceOf(ConnectException.class, e.getCause());
  }
}
