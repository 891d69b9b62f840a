package dev.keywarm.agent.flush;

import dev.keywarm.agent.recording.EventKind;
import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.schema.KeyPattern;
import dev.keywarm.schema.ttl.TtlHistogram;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A window's TTLs per key pattern, as the {@code ttlp} hash fields the flusher increments ({@link
 * TtlHistogram}). Built on the flusher thread from the window as it leaves the JVM (after the
 * {@code keys} privacy rule, so a pattern never shows more of a key than its member does), from the
 * keys the window summary kept: a key counts its writes in the window at the TTL it was last given
 * (an expiry change without a write counts once).
 *
 * <p>Bounded: at most {@value #MAX_PATTERNS} patterns per window, later ones counted under {@value
 * #OTHER}; each pattern has at most 90 buckets per power of ten of TTL, and few in practice.
 */
final class TtlPatternCounts {

  static final int MAX_PATTERNS = 128;
  static final String OTHER = "{other}";

  private TtlPatternCounts() {}

  /** Field → writes, for the window's keys whose TTL is known; empty if none is. */
  static Map<String, Long> of(WindowSnapshot window) {
    if (!anyKnown(window.ttls())) {
      return Map.of(); // a window of reads alone: no maps built for nothing
    }
    Map<String, Long> fields = new LinkedHashMap<>();
    Map<String, Boolean> patterns = new java.util.HashMap<>();
    for (int i = 0; i < window.size(); i++) {
      long ttl = window.ttls()[i];
      if (ttl == EventKind.TTL_UNKNOWN) {
        continue;
      }
      String pattern = KeyPattern.of(window.members()[i]);
      if (!patterns.containsKey(pattern)) {
        if (patterns.size() >= MAX_PATTERNS) {
          pattern = OTHER;
        }
        patterns.put(pattern, Boolean.TRUE);
      }
      long bucket = TtlHistogram.bucket(ttl == EventKind.TTL_NONE ? TtlHistogram.NONE : ttl);
      fields.merge(TtlHistogram.field(pattern, bucket), Math.max(1, window.writes()[i]), Long::sum);
    }
    return fields;
  }

  private static boolean anyKnown(long[] ttls) {
    for (long ttl : ttls) {
      if (ttl != EventKind.TTL_UNKNOWN) {
        return true;
      }
    }
    return false;
  }
}
