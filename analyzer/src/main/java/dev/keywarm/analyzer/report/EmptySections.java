package dev.keywarm.analyzer.report;

import dev.keywarm.analyzer.analysis.AnalysisResult;

/**
 * Why a report section or column has nothing to show, in one line, the same in every report: an
 * empty table under its header, or a column of dashes, says nothing and looks like a fault.
 */
final class EmptySections {

  private EmptySections() {}

  static String pairs(AnalysisResult.Pairs p) {
    return p.hoursWithPairs() == 0
        ? "No pairs: no co-access pairs were recorded in range (the agent's pair recording is off "
            + "with pairkeys=0, or the agent predates it)."
        : "No pairs: no pair of keys was read together at least "
            + Fmt.count(p.minSupportCount())
            + " times (--min-pair-support).";
  }

  static String loads() {
    return "No load times: no load was timed in range (a GET miss followed by a SET of the same key "
        + "within the agent's loadwindow), so what a miss costs and what warming saves are not known.";
  }

  static String core(AnalysisResult.Hourly h) {
    return h.note().isEmpty() || h.hours().size() >= 4
        ? "No stable core: no key is in the top "
            + h.setSize()
            + " of at least "
            + h.coreMinHours()
            + " hours of day."
        : "No stable core: " + h.note() + ".";
  }

  static String hourSpecific(AnalysisResult.Hourly h) {
    return h.note().isEmpty()
        ? "No hour-specific keys: no key is in the top "
            + h.setSize()
            + " of at most "
            + h.specificMaxHours()
            + " hours of day with lift ≥ 2."
        : "No hour-specific keys: " + h.note() + ".";
  }

  static String hours() {
    return "No hours of day: no hour in range has reads.";
  }

  static String patterns() {
    return "No key patterns: no key in range has reads.";
  }

  static String ttls() {
    return "No TTLs: the agent recorded no write with its TTL in range (nothing written, or an agent "
        + "that predates the per-pattern TTL counts), so how long each pattern's values live is not "
        + "known.";
  }

  static boolean anyHourSpecific(AnalysisResult.Hourly h) {
    return h.hours().stream().anyMatch(hour -> !hour.specific().isEmpty());
  }
}
