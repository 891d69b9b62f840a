package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourRange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A key hot two days ago against one warm now: the half-life decides which a plan warms first. */
class RecencyDecayTest {

  static final RangeDataBuilder decay = new RangeDataBuilder("decay");
  static final HourRange RANGE = new HourRange(Fixtures.START, Fixtures.START.plusHours(48));

  @BeforeAll
  static void record() {
    decay.hits(Fixtures.START, "old", 1000);
    decay.hits(Fixtures.START.plusHours(47), "new", 100);
    decay.hits(Fixtures.START.plusHours(20), "middle", 10);
  }

  @Test
  void withoutDecayReadsRank() {
    Analysis a =
        new Analyzer(AnalysisOptions.defaults()).analyze(decay.build(RANGE, 0), Instant.EPOCH);
    assertEquals("old", a.result().hotSet().keys().get(0).key());
    assertEquals("reads", a.result().hotSet().rankedBy());
    assertNull(a.result().hotSet().halfLifeHours());
  }

  @Test
  void aHalfLifeRanksRecentReadsFirst() {
    Analysis a =
        new Analyzer(AnalysisOptions.defaults()).analyze(decay.build(RANGE, 6), Instant.EPOCH);
    assertEquals("new", a.result().hotSet().keys().get(0).key());
    // "old" ended 47 hours before the range did: 1000 × 2^(−47/6)
    double oldScore = 1000 * Math.pow(0.5, 47 / 6.0);
    assertEquals("old", a.result().hotSet().keys().get(1).key());
    assertEquals(oldScore, a.result().hotSet().keys().get(1).score(), 1e-9);
    assertEquals(1000, a.result().hotSet().keys().get(1).reads(), 1e-9); // raw reads stay raw
    // "middle": 10 × 2^(−27/6) ≈ 0.44, below old's ≈ 4.38
    assertEquals("middle", a.result().hotSet().keys().get(2).key());
    assertEquals("new", new String(a.plan().overall().get(0).member(), StandardCharsets.UTF_8));
    assertEquals("decayed reads", a.result().hotSet().rankedBy());
  }
}
