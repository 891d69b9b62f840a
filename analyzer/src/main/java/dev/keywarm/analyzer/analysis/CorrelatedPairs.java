package dev.keywarm.analyzer.analysis;

import dev.keywarm.schema.KeyText;
import dev.keywarm.analyzer.analysis.AnalysisResult.Pair;
import dev.keywarm.analyzer.analysis.AnalysisResult.Pairs;
import dev.keywarm.analyzer.plan.WarmPlan;
import dev.keywarm.analyzer.read.KeyTable;
import dev.keywarm.analyzer.read.PairCounts;
import dev.keywarm.schema.PairMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Association measures for keys read together. The agent counts, per ordered pair (a, b), how often b
 * was read shortly after a; with N = all reads in range:
 * <ul>
 *   <li>count = count(a→b) + count(b→a); support = count / N;</li>
 *   <li>confidence(a→b) = count(a→b) / reads(a): how often a read of a is followed by b;</li>
 *   <li>lift = count × N / (reads(a) × reads(b)): co-reads relative to what two keys of that popularity
 *       would show if read independently (up to the constant of the agent's window), so two merely
 *       popular keys do not outrank a pair that is always read together.</li>
 * </ul>
 * Pairs with count below the minimum support are dropped before ranking (lift is noisy on tiny counts).
 * Ranked by lift, then count.
 */
final class CorrelatedPairs {

  private CorrelatedPairs() {}

  record Result(Pairs pairs, List<WarmPlan.Entry> planEntries) {}

  static Result of(KeyTable keys, PairCounts counts, double totalReads, double minSupport, int rows,
      int planPairs, long hoursWithPairs, long skipped) {
    List<Candidate> candidates = new ArrayList<>();
    long[] withoutReads = {0};
    counts.forEach((a, b, ab) -> {
      double ba = counts.count(b, a);
      if (a > b && ba > 0) {
        return; // the unordered pair is handled once, from (b, a)
      }
      double count = ab + ba;
      if (count < minSupport || a == b) {
        return;
      }
      double ra = keys.reads(a);
      double rb = keys.reads(b);
      if (ra <= 0 || rb <= 0) {
        withoutReads[0]++;
        return;
      }
      candidates.add(new Candidate(a, b, ab, ba, count * totalReads / (ra * rb)));
    });
    candidates.sort(Comparator.comparingDouble(Candidate::lift).reversed()
        .thenComparing(Comparator.comparingDouble(Candidate::count).reversed()));
    List<Pair> top = new ArrayList<>();
    for (int i = 0; i < Math.min(rows, candidates.size()); i++) {
      Candidate c = candidates.get(i);
      double ra = keys.reads(c.a);
      double rb = keys.reads(c.b);
      top.add(new Pair(KeyText.display(keys.key(c.a)), KeyText.display(keys.key(c.b)), c.count(), c.ab,
          c.ba, c.count() / totalReads, c.ab / ra, c.ba / rb, c.lift));
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
    return new Result(new Pairs(minSupport, hoursWithPairs, skipped, withoutReads[0], candidates.size(),
        top), plan);
  }

  private record Candidate(int a, int b, double ab, double ba, double lift) {
    double count() {
      return ab + ba;
    }
  }
}
