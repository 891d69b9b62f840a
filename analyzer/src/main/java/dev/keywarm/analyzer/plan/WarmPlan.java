package dev.keywarm.analyzer.plan;

import java.util.List;
import java.util.Map;

/**
 * A warm plan before it is written: raw key bytes and scores, ready for {@link PlanWriter}.
 *
 * @param overall keys to warm first, score = expected reads (higher first)
 * @param hours per UTC hour of day (index 0–23, an empty list for an hour without data)
 * @param pairs members are {@code PairMember.encode(a, b)}, score = lift of b given a
 * @param meta fields of the plan's meta hash
 */
public record WarmPlan(List<Entry> overall, List<List<Entry>> hours, List<Entry> pairs,
    Map<String, String> meta) {

  public record Entry(byte[] member, double score) {}
}
