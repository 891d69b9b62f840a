package dev.keywarm.runner.plan;

import dev.keywarm.schema.KeySchema.PlanField;
import dev.keywarm.schema.plan.WarmPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to warm, in order: {@code primary} (this hour of day's ranking, then the overall one, each
 * key once), then the followers of what got loaded from {@code pairs}, then {@code nextHour} (keys
 * of the coming hour not already planned). {@code source} says where the ranking came from, for the
 * log and the result record; {@code planExpectedCoverage} is the analyzer's figure, or NaN if it
 * gave none; {@code planTtls} the TTLs the analyzer chose for the planned keys (empty without
 * them).
 */
public record WarmOrder(
    String source,
    List<PlanEntry> primary,
    PairIndex pairs,
    List<PlanEntry> nextHour,
    double planExpectedCoverage,
    ObservedTtls planTtls) {

  public WarmOrder(
      String source,
      List<PlanEntry> primary,
      PairIndex pairs,
      List<PlanEntry> nextHour,
      double planExpectedCoverage) {
    this(source, primary, pairs, nextHour, planExpectedCoverage, ObservedTtls.none());
  }

  /**
   * The order a plan gives at {@code hourOfDay}: at most {@code maxKeys} keys in the primary order
   * and the next hour together, pairs at or above {@code minPairLift}.
   */
  public static WarmOrder of(WarmPlan plan, String source, int hourOfDay, PlanOptions options) {
    Set<KeyBytes> seen = new HashSet<>();
    List<PlanEntry> primary = new ArrayList<>();
    take(plan.hour(hourOfDay), PlanEntry.Source.HOUR, options.maxKeys(), seen, primary);
    take(plan.overall(), PlanEntry.Source.OVERALL, options.maxKeys(), seen, primary);
    List<PlanEntry> nextHour = new ArrayList<>();
    if (options.nextHour()) {
      take(
          plan.hour((hourOfDay + 1) % WarmPlan.HOURS_OF_DAY),
          PlanEntry.Source.NEXT_HOUR,
          options.maxKeys() - primary.size(),
          seen,
          nextHour);
    }
    return new WarmOrder(
        source,
        primary,
        PairIndex.of(plan.pairs(), options.minPairLift(), options.maxKeys()),
        nextHour,
        plan.meta().number(PlanField.EXPECTED_COVERAGE),
        ObservedTtls.of(plan.ttls()));
  }

  /** {@code plan <generation>} for an analyzer's plan, else how the plan was ranked. */
  public static String describe(WarmPlan plan) {
    String generation = plan.meta().text(PlanField.GENERATION);
    return generation != null ? "plan " + generation : plan.meta().text(PlanField.RANKED_BY);
  }

  /** Appends unseen members, best first, until {@code out} holds {@code limit}. */
  private static void take(
      List<WarmPlan.Entry> ranked,
      PlanEntry.Source source,
      int limit,
      Set<KeyBytes> seen,
      List<PlanEntry> out) {
    for (WarmPlan.Entry e : ranked) {
      if (out.size() >= limit) {
        return;
      }
      if (seen.add(new KeyBytes(e.member()))) {
        out.add(new PlanEntry(e.member(), e.score(), source));
      }
    }
  }

  public boolean isEmpty() {
    return primary.isEmpty() && nextHour.isEmpty();
  }

  public double primaryWeight() {
    return primary.stream().mapToDouble(PlanEntry::weight).sum();
  }
}
