package dev.keywarm.runner.plan;

import java.util.List;

/**
 * What to warm, in order: {@code primary} (this hour of day's ranking, then the overall one, each key
 * once), then the followers of what got loaded from {@code pairs}, then {@code nextHour} (keys of the
 * coming hour not already planned). {@code source} says where the ranking came from, for the log and
 * the result record; {@code planExpectedCoverage} is the analyzer's figure, or NaN if it gave none.
 */
public record WarmPlan(
    String source,
    List<PlanEntry> primary,
    PairIndex pairs,
    List<PlanEntry> nextHour,
    double planExpectedCoverage) {

  public double primaryWeight() {
    return primary.stream().mapToDouble(PlanEntry::weight).sum();
  }
}
