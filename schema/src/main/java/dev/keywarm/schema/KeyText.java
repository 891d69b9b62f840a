package dev.keywarm.schema;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Cache keys as text for reports. Keys are raw bytes: valid UTF-8 without control characters is
 * shown as it is; anything else is shown with printable ASCII kept and every other byte as {@code
 * \xNN}, so two different keys never look the same. (A key that itself contains a backslash
 * followed by "x" and two hex digits is the one ambiguity; reports are for reading, plans carry the
 * raw bytes.)
 *
 * <p>A hash field's member ({@link FieldMember}) is shown as {@code key [field]}, each part as
 * above: {@code user:42 [profile]}.
 */
public final class KeyText {

  private KeyText() {}

  public static String display(byte[] key) {
    if (FieldMember.isField(key)) {
      return plain(FieldMember.key(key)) + " [" + plain(FieldMember.field(key)) + "]";
    }
    return plain(key);
  }

  private static String plain(byte[] key) {
    String text = textOrNull(key);
    return text != null ? text : escaped(key);
  }

  /** True if the key is not printable text, so {@link #display} escapes bytes. */
  public static boolean isBinary(byte[] key) {
    if (FieldMember.isField(key)) {
      return isBinary(FieldMember.key(key)) || isBinary(FieldMember.field(key));
    }
    return textOrNull(key) == null;
  }

  private static String textOrNull(byte[] key) {
    boolean ascii = true;
    for (byte b : key) {
      if (b >= 0 && (b < 0x20 || b == 0x7f)) {
        return null;
      }
      ascii &= b > 0;
    }
    if (ascii) {
      return new String(key, StandardCharsets.US_ASCII);
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(key))
              .toString();
      return text.codePoints().anyMatch(Character::isISOControl) ? null : text;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String escaped(byte[] key) {
    StringBuilder s = new StringBuilder(key.length + 16);
    for (byte b : key) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7f) {
        s.append((char) c);
      } else {
        s.append(String.format("\\x%02x", c));
      }
    }
    return s.toString();
  }
}
