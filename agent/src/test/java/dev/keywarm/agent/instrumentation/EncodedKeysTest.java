package dev.keywarm.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodedKeysTest {

  private final Object codec = new Object();

  @Test
  void anEqualKeyOfTheSameCodecGetsTheRememberedBytes() {
    byte[] bytes = "product:42".getBytes(StandardCharsets.UTF_8);
    EncodedKeys.put(codec, "product:42", bytes);
    assertSame(bytes, EncodedKeys.get(codec, new String("product:42")));
  }

  @Test
  void anotherCodecEncodesForItself() {
    EncodedKeys.put(codec, "user:7", new byte[] {1});
    assertNull(
        EncodedKeys.get(new Object(), "user:7"), "a prefixing codec would store other bytes");
  }

  @Test
  void longKeysAreNotKept() {
    String key = "k".repeat(EncodedKeys.MAX_CHARS + 1);
    EncodedKeys.put(codec, key, new byte[] {1});
    assertNull(EncodedKeys.get(codec, key));
  }
}
