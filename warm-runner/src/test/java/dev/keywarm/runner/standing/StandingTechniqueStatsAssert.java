package dev.keywarm.runner.standing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keywarm.runner.report.StandingTechniqueStats;

/** Exact counts of a technique's stats, in one line per test. */
final class StandingTechniqueStatsAssert {

  private StandingTechniqueStatsAssert() {}

  static void counts(StandingTechniqueStats stats, long rounds, long loaded, long present) {
    assertEquals(rounds, stats.rounds(), "rounds: " + stats);
    assertEquals(loaded, stats.loaded(), "loaded: " + stats);
    assertEquals(present, stats.present(), "present: " + stats);
  }
}
