package dev.keywarm.analyzer.read;

import dev.keywarm.schema.ttl.TtlHistogram;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How long each key pattern's values live over a range: the hours' {@code ttlPatterns} hashes
 * (field {@code <pattern>|<bucket ms>}, value = writes) merged into one {@link TtlHistogram} per
 * pattern. The patterns are {@code KeyPattern}'s, the same the analysis groups keys by. Small: one
 * cell per (pattern, TTL bucket), whatever the range. A field {@link TtlHistogram#parse} refuses,
 * or a value that is not a whole number, is skipped (a foreign or damaged field, not a count).
 */
public final class PatternTtls {

  private final Map<String, TtlHistogram> byPattern = new HashMap<>();

  /** Adds one hour's hash, as {@code HGETALL} returns it. */
  public void add(Map<String, String> hash) {
    for (Map.Entry<String, String> field : hash.entrySet()) {
      TtlHistogram.Cell cell = TtlHistogram.parse(field.getKey());
      long writes;
      try {
        writes = Long.parseLong(field.getValue().trim());
      } catch (NumberFormatException e) {
        continue;
      }
      if (cell != null && writes > 0) {
        byPattern
            .computeIfAbsent(cell.pattern(), p -> new TtlHistogram())
            .add(cell.bucket(), writes);
      }
    }
  }

  /** The pattern's TTLs, or null when no write of it was recorded in range. */
  public TtlHistogram of(String pattern) {
    return byPattern.get(pattern);
  }

  public Set<String> patterns() {
    return Collections.unmodifiableSet(byPattern.keySet());
  }

  public boolean isEmpty() {
    return byPattern.isEmpty();
  }
}
