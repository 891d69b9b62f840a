package dev.keywarm.analyzer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keywarm.schema.ttl.TtlHistogram;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hours' TTL hashes merge per pattern; what is not a (pattern, bucket) → count is skipped. */
class PatternTtlsTest {

  @Test
  void hoursMergePerPatternAndDamagedFieldsCountNothing() {
    PatternTtls ttls = new PatternTtls();
    ttls.add(
        Map.of(
            TtlHistogram.field("a:{n}", 1_000),
            "3",
            TtlHistogram.field("a|b:{n}", TtlHistogram.NONE),
            "2",
            "no bucket",
            "9",
            "a:{n}|-5",
            "9",
            TtlHistogram.field("a:{n}", 2_000),
            "x",
            TtlHistogram.field("zero:{n}", 2_000),
            "0"));
    ttls.add(
        Map.of(TtlHistogram.field("a:{n}", 1_000), " 4 ", TtlHistogram.field("a:{n}", 5_000), "1"));
    assertEquals(Set.of("a:{n}", "a|b:{n}"), ttls.patterns());
    assertEquals(Map.of(1_000L, 7L, 5_000L, 1L), ttls.of("a:{n}").counts());
    assertEquals(1.0, ttls.of("a|b:{n}").shareWithoutTtl()); // a pattern may hold a bar
    assertNull(ttls.of("zero:{n}"));
  }
}
