package dev.keywarm.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The way other modules use it: one server per test class. */
class RedisServerIT {

  static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void answersPingSetAndGet() {
    assertEquals("PONG", redis.command("PING"));
    assertEquals("OK", redis.command("SET", "rst:basic", "v1"));
    assertEquals("v1", redis.command("GET", "rst:basic"));
    assertNotEquals(6379, redis.port(), "must never use the shared server's port");
    assertTrue(redis.uri().startsWith("redis"), redis.uri());
  }

  @Test
  void repliesBecomeJavaTypes() {
    redis.command("DEL", "rst:counter", "rst:list");
    assertEquals(1L, redis.command("INCR", "rst:counter"));
    assertNull(redis.command("GET", "rst:missing"));
    redis.command("RPUSH", "rst:list", "a", "b");
    assertEquals(List.of("a", "b"), redis.command("LRANGE", "rst:list", "0", "-1"));
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> redis.command("INCR", "rst:list"));
    assertTrue(error.getMessage().startsWith("WRONGTYPE"), error.getMessage());
  }
}
