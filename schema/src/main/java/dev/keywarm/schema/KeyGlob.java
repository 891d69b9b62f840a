package dev.keywarm.schema;

import java.nio.charset.StandardCharsets;

/**
 * A Redis-style glob over raw key bytes: {@code *}, {@code ?}, {@code [abc]}, {@code [^a]}, {@code
 * [a-z]} and {@code \} escapes, matched against the whole key, as {@code KEYS}/{@code SCAN MATCH}
 * do. Iterative with single-star backtracking: O(pattern × key) worst case, no recursion.
 */
public final class KeyGlob {

  private final String text;
  private final byte[] pattern;

  public KeyGlob(String pattern) {
    this.text = pattern;
    this.pattern = pattern.getBytes(StandardCharsets.UTF_8);
  }

  public boolean matches(byte[] key) {
    int p = 0;
    int k = 0;
    int starP = -1;
    int starK = -1;
    while (k < key.length) {
      if (p < pattern.length && pattern[p] == '*') {
        starP = p++;
        starK = k;
        continue;
      }
      if (p < pattern.length) {
        int next = matchOne(p, key[k]);
        if (next >= 0) {
          p = next;
          k++;
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      p = starP + 1;
      k = ++starK;
    }
    while (p < pattern.length && pattern[p] == '*') {
      p++;
    }
    return p == pattern.length;
  }

  /** Matches one pattern element at {@code p} against {@code b}: the next pattern index, or -1. */
  private int matchOne(int p, byte b) {
    byte c = pattern[p];
    if (c == '?') {
      return p + 1;
    }
    if (c == '\\' && p + 1 < pattern.length) {
      return pattern[p + 1] == b ? p + 2 : -1;
    }
    if (c != '[') {
      return c == b ? p + 1 : -1;
    }
    int i = p + 1;
    boolean negate = i < pattern.length && pattern[i] == '^';
    if (negate) {
      i++;
    }
    boolean found = false;
    while (i < pattern.length && pattern[i] != ']') {
      if (pattern[i] == '\\' && i + 1 < pattern.length) {
        found |= pattern[i + 1] == b;
        i += 2;
      } else if (i + 2 < pattern.length && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
        int lo = Math.min(pattern[i] & 0xFF, pattern[i + 2] & 0xFF);
        int hi = Math.max(pattern[i] & 0xFF, pattern[i + 2] & 0xFF);
        found |= (b & 0xFF) >= lo && (b & 0xFF) <= hi;
        i += 3;
      } else {
        found |= pattern[i] == b;
        i++;
      }
    }
    if (i >= pattern.length) {
      return c == b ? p + 1 : -1; // an unclosed '[' is a literal, as in Redis
    }
    return found != negate ? i + 1 : -1;
  }

  @Override
  public String toString() {
    return text;
  }
}
