package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.analysis.AnalysisResult.DayTop;
import dev.keywarm.analyzer.analysis.AnalysisResult.RankedKey;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two weeks in which one key is read only at weekends: it must top Saturday and Sunday only. */
class DayOfWeekTest {

  static final RangeDataBuilder weekly = new RangeDataBuilder("weekly");

  @BeforeAll
  static void record() {
    for (int day = 0; day < 14; day++) { // START is a Monday
      for (int h = 10; h < 14; h++) {
        HourBucket hour = Fixtures.START.plusHours(24L * day + h);
        for (int k = 0; k < 20; k++) {
          weekly.hits(hour, "menu:" + k, 50 - k);
        }
        if (day % 7 >= 5) {
          weekly.hits(hour, "weekend:brunch", 500);
        }
      }
    }
  }

  @Test
  void weekdayTopSetsNeedTwoOfEachWeekdayAndShowTheRhythm() {
    AnalysisResult r =
        Fixtures.analyze(
                weekly,
                new HourRange(Fixtures.START, Fixtures.START.plusHours(14 * 24)),
                AnalysisOptions.defaults())
            .result();
    assertTrue(r.hourly().dayOfWeek().available(), r.hourly().dayOfWeek().note());
    assertEquals(7, r.hourly().dayOfWeek().days().size());
    for (DayTop d : r.hourly().dayOfWeek().days()) {
      boolean weekend = d.day() >= 5;
      assertEquals(
          weekend, d.top().get(0).key().equals("weekend:brunch"), d.name() + " " + d.top().get(0));
      assertEquals(
          weekend, d.top().stream().map(RankedKey::key).anyMatch("weekend:brunch"::equals));
    }
    assertEquals("Saturday", r.hourly().dayOfWeek().days().get(5).name());

    AnalysisResult oneWeek =
        Fixtures.analyze(
                weekly,
                new HourRange(Fixtures.START, Fixtures.START.plusHours(7 * 24)),
                AnalysisOptions.defaults())
            .result();
    assertFalse(oneWeek.hourly().dayOfWeek().available());
  }
}
