package dev.keywarm.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyGlobTest {

  private static boolean m(String pattern, String key) {
    return new KeyGlob(pattern).matches(key.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void matchesLikeRedis() {
    assertTrue(m("product:*", "product:42:detail"));
    assertFalse(m("product:*", "user:1"));
    assertTrue(m("*", ""));
    assertTrue(m("a*b*c", "aXXbYYc"));
    assertFalse(m("a*b*c", "aXXbYY"));
    assertTrue(m("user:?", "user:1"));
    assertFalse(m("user:?", "user:12"));
    assertTrue(m("user:[0-9]*", "user:7x"));
    assertFalse(m("user:[0-9]*", "user:x7"));
    assertTrue(m("user:[^0-9]", "user:x"));
    assertFalse(m("user:[^0-9]", "user:5"));
    assertTrue(m("a\\*b", "a*b"));
    assertFalse(m("a\\*b", "aXb"));
    assertTrue(m("*:detail", "product:42:detail"));
    assertFalse(m("product", "product:1"));
  }
}
