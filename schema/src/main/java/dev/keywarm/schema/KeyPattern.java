package dev.keywarm.schema;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Turns a cache key into its pattern by replacing the variable parts with placeholders: {@code
 * user:42:profile} → {@code user:{n}:profile}. Rules, in order:
 *
 * <ol>
 *   <li>a key that is not printable text → {@code {binary}};
 *   <li>a Redis hash tag {@code {…}} → {@code {tag}};
 *   <li>a UUID (8-4-4-4-12 hex) → {@code {uuid}};
 *   <li>the rest is split at {@code : / . - _ = # | , ; @} and spaces; a segment of digits (with an
 *       optional sign) → {@code {n}}; a segment of 8+ hex digits mixing digits and letters → {@code
 *       {hex}}; other segments (words, {@code type3}, {@code v2}) stay, as they name the kind of
 *       key.
 * </ol>
 *
 * A key stored truncated ({@link StoredKey}) is patterned from its kept prefix plus {@code
 * ~{hash}}. A hash field's member ({@link FieldMember}) is patterned part by part, shown as {@link
 * KeyText} shows it: {@code user:42 [profile]} → {@code user:{n} [profile]}, {@code products [42]}
 * → {@code products [{n}]}.
 */
public final class KeyPattern {

  private static final Pattern HASH_TAG = Pattern.compile("\\{[^{}]+}");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final String DELIMITERS = ":/.-_=#|,;@ ";

  private KeyPattern() {}

  public static String of(byte[] key) {
    if (FieldMember.isField(key)) {
      return plain(FieldMember.key(key)) + " [" + plain(FieldMember.field(key)) + "]";
    }
    return plain(key);
  }

  private static String plain(byte[] key) {
    String suffix = "";
    if (StoredKey.isTruncated(key)) {
      key = Arrays.copyOf(key, StoredKey.PREFIX_BYTES);
      suffix = "~{hash}";
    }
    if (KeyText.isBinary(key)) {
      return "{binary}" + suffix;
    }
    return of(KeyText.display(key)) + suffix;
  }

  public static String of(String key) {
    String text = key;
    if (text.indexOf('{') >= 0) {
      text = HASH_TAG.matcher(text).replaceAll("\u0001");
    }
    if (text.length() >= 36 && text.indexOf('-') >= 0) {
      text = UUID.matcher(text).replaceAll("\u0002");
    }
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || DELIMITERS.indexOf(text.charAt(i)) >= 0) {
        out.append(segment(text, start, i));
        if (i < text.length()) {
          out.append(text.charAt(i));
        }
        start = i + 1;
      }
    }
    return out.toString().replace("\u0001", "{tag}").replace("\u0002", "{uuid}");
  }

  private static String segment(String text, int from, int to) {
    if (from == to) {
      return "";
    }
    int i = from;
    if (text.charAt(i) == '+' || text.charAt(i) == '-') {
      i++;
    }
    boolean digits = i < to;
    boolean hexOnly = true;
    boolean hasDigit = false;
    boolean hasLetter = false;
    for (int j = from; j < to; j++) {
      char c = text.charAt(j);
      boolean digit = c >= '0' && c <= '9';
      boolean hexLetter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (j >= i && !digit) {
        digits = false;
      }
      hasDigit |= digit;
      hasLetter |= hexLetter;
      hexOnly &= digit || hexLetter;
    }
    if (digits) {
      return "{n}";
    }
    if (hexOnly && hasDigit && hasLetter && to - from >= 8) {
      return "{hex}";
    }
    return text.substring(from, to);
  }
}
