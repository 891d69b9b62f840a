package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.Pair;
import dev.keywarm.analyzer.analysis.AnalysisResult.Pairs;
import dev.keywarm.analyzer.read.KeyTable;
import dev.keywarm.analyzer.read.PairCounts;
import dev.keywarm.schema.KeyText;
import dev.keywarm.schema.PairMember;
import dev.keywarm.schema.plan.WarmPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Association measures for keys read together. The agent counts, per ordered pair (a, b),
 * count(a→b): reads of a followed, within the agent's pair window on the same thread, by at least
 * one read of b — each read of a counts at most once per b, so count(a→b) ≤ reads(a). With N = all
 * reads in range:
 *
 * <ul>
 *   <li>count = count(a→b) + count(b→a); support = count / N;
 *   <li>confidence(a→b) = count(a→b) / reads(a), 0–1: the share of reads of a followed by b;
 *   <li>lift = count × N / (reads(a) × reads(b)): co-reads relative to what two keys of that
 *       popularity would show if read independently (up to the constant of the agent's window), so
 *       two merely popular keys do not outrank a pair that is always read together.
 * </ul>
 *
 * A recorded count(a→b) above reads(a) is inconsistent — an older agent counted every later read of
 * b, or reads of a were evicted from the agent's bounded summary while the pair was kept — so it is
 * capped at reads(a) before any measure (support, confidence, lift, plan score) and counted, not
 * silently trusted. Pairs with count below the minimum support are dropped before ranking (lift is
 * noisy on tiny counts). Ranked by lift, then count.
 */
final class CorrelatedPairs {

  private CorrelatedPairs() {}

  record Result(Pairs pairs, List<WarmPlan.Entry> planEntries) {}

  static Result of(
      KeyTable keys,
      PairCounts counts,
      double totalReads,
      double minSupport,
      int rows,
      int planPairs,
      long hoursWithPairs,
      long skipped) {
    List<Candidate> candidates = new ArrayList<>();
    long[] withoutReads = {0};
    long[] inconsistent = {0};
    counts.forEach(
        (a, b, recordedAB) -> {
          double recordedBA = counts.count(b, a);
          if ((a > b && recordedBA > 0) || a == b) {
            return; // the unordered pair is handled once, from (b, a)
          }
          double ra = keys.reads(a);
          double rb = keys.reads(b);
          if (ra <= 0 || rb <= 0) {
            withoutReads[0] += recordedAB + recordedBA >= minSupport ? 1 : 0;
            return;
          }
          inconsistent[0] += (recordedAB > ra ? 1 : 0) + (recordedBA > rb ? 1 : 0);
          double ab = Math.min(recordedAB, ra);
          double ba = Math.min(recordedBA, rb);
          if (ab + ba >= minSupport) {
            candidates.add(
                new Candidate(
                    a,
                    b,
                    ab,
                    ba,
                    (ab + ba) * totalReads / (ra * rb),
                    recordedAB > ra || recordedBA > rb));
          }
        });
    candidates.sort(
        Comparator.comparingDouble(Candidate::lift)
            .reversed()
            .thenComparing(Comparator.comparingDouble(Candidate::count).reversed()));
    List<Pair> top = new ArrayList<>();
    for (Candidate c : candidates.subList(0, Math.min(rows, candidates.size()))) {
      top.add(
          new Pair(
              KeyText.display(keys.key(c.a)),
              KeyText.display(keys.key(c.b)),
              c.count(),
              c.ab,
              c.ba,
              c.count() / totalReads,
              c.ab / keys.reads(c.a),
              c.ba / keys.reads(c.b),
              c.lift,
              c.capped));
    }
    List<WarmPlan.Entry> plan = new ArrayList<>();
    for (Candidate c : candidates) {
      if (plan.size() >= planPairs) {
        break;
      }
      double scale = totalReads / (keys.reads(c.a) * keys.reads(c.b));
      if (c.ab > 0) {
        plan.add(new WarmPlan.Entry(PairMember.encode(keys.key(c.a), keys.key(c.b)), c.ab * scale));
      }
      if (c.ba > 0 && plan.size() < planPairs) {
        plan.add(new WarmPlan.Entry(PairMember.encode(keys.key(c.b), keys.key(c.a)), c.ba * scale));
      }
    }
    return new Result(
        new Pairs(
            minSupport,
            hoursWithPairs,
            skipped,
            withoutReads[0],
            inconsistent[0],
            candidates.size(),
            top),
        plan);
  }

  /** An unordered pair, its counts already capped at reads(a) and reads(b). */
  private record Candidate(int a, int b, double ab, double ba, double lift, boolean capped) {
    double count() {
      return ab + ba;
    }
  }
}
