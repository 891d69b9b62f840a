package dev.keywarm.analyzer.read;

import java.nio.charset.StandardCharsets;

/** Parses a RESP score. Counters are integers, so the common case avoids building a String. */
final class Scores {

  private Scores() {}

  static double parse(byte[] b) {
    if (b.length > 0 && b.length < 16) {
      long value = 0;
      int i = 0;
      boolean negative = b[0] == '-';
      if (negative) {
        i = 1;
      }
      boolean digits = i < b.length;
      for (; i < b.length; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          digits = false;
          break;
        }
        value = value * 10 + d;
      }
      if (digits) {
        return negative ? -value : value;
      }
    }
    String text = new String(b, StandardCharsets.US_ASCII);
    return switch (text) {
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }
}
