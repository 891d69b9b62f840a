package dev.keywarm.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyPatternTest {

  @Test
  void variablePartsBecomePlaceholders() {
    assertEquals("user:{n}:profile", KeyPattern.of("user:42:profile"));
    assertEquals("session:{uuid}", KeyPattern.of("session:3f2b8c1e-9a4d-4b6f-8e2a-1c5d7f9b0a12"));
    assertEquals("{tag}:cart:{n}", KeyPattern.of("{tenant7}:cart:12"));
    assertEquals("img/{hex}.png", KeyPattern.of("img/9f86d081884c7d65.png"));
    assertEquals("type3:{n}:{n}", KeyPattern.of("type3:123456:2"));
    assertEquals("price_{n}_eur", KeyPattern.of("price_17_eur"));
    assertEquals("page:about", KeyPattern.of("page:about"));
    // a word of hex letters only is a word, not a hash
    assertEquals("cache:deadbeef", KeyPattern.of("cache:deadbeef"));
    assertEquals("cache:{hex}", KeyPattern.of("cache:deadbee5"));
  }

  @Test
  void binaryAndTruncatedKeys() {
    assertEquals("{binary}", KeyPattern.of(new byte[] {0, 1, (byte) 0xff, 2}));
    assertEquals("user:{n}", KeyPattern.of("user:7".getBytes(StandardCharsets.UTF_8)));
    byte[] longKey = ("doc:" + "x".repeat(600)).getBytes(StandardCharsets.UTF_8);
    String pattern = KeyPattern.of(StoredKey.member(longKey));
    assertEquals("doc:" + "x".repeat(StoredKey.PREFIX_BYTES - 4) + "~{hash}", pattern);
    assertEquals("\\x00\\x01\\xff\\x02", KeyText.display(new byte[] {0, 1, (byte) 0xff, 2}));
    assertEquals("café:1", KeyText.display("café:1".getBytes(StandardCharsets.UTF_8)));
  }
}
