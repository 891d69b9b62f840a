package dev.keywarm.agent.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedisEndpointTest {

  @Test
  void parsesEveryPart() {
    RedisEndpoint e = RedisEndpoint.parse("rediss://default:p%40ss@10.0.0.5:6390/3");
    assertEquals("10.0.0.5", e.host());
    assertEquals(6390, e.port());
    assertEquals("default", e.user());
    assertEquals("p@ss", e.password());
    assertEquals(3, e.database());
    assertEquals("rediss://default:***@10.0.0.5:6390/3", e.toString());
  }

  @Test
  void passwordOnlyAndDefaults() {
    RedisEndpoint e = RedisEndpoint.parse("redis://:secret@localhost");
    assertNull(e.user());
    assertEquals("secret", e.password());
    assertEquals(6379, e.port());
    assertEquals(0, e.database());
    assertFalse(e.toString().contains("secret"));
  }

  @Test
  void rejectsWhatIsNotARedisUrl() {
    assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("localhost:6379"));
    assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://host/db"));
    assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("http://host"));
  }
}
