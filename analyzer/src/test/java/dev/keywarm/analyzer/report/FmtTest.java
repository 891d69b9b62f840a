package dev.keywarm.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** TTLs in the reports: the largest unit, at most one decimal, none and unknown told apart. */
class FmtTest {

  @Test
  void aTtlIsShownInItsLargestUnit() {
    assertEquals("250 ms", Fmt.ttl(250L));
    assertEquals("1 s", Fmt.ttl(1_000L));
    assertEquals("2.3 s", Fmt.ttl(2_300L));
    assertEquals("45 s", Fmt.ttl(45_000L));
    assertEquals("1.5 min", Fmt.ttl(90_000L));
    assertEquals("10 min", Fmt.ttl(600_000L));
    assertEquals("1 h", Fmt.ttl(3_600_000L));
    // a day's bucket is 86,000,000 ms (two significant digits, rounded down): just under a day
    assertEquals("23.9 h", Fmt.ttl(86_000_000L));
    assertEquals("2 d", Fmt.ttl(172_800_000L));
  }

  @Test
  void noTtlAndNothingKnownReadDifferently() {
    assertEquals("none", Fmt.ttl(-1L));
    assertEquals("–", Fmt.ttl(null));
  }
}
