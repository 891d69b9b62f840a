package dev.keywarm.schema.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A warm plan as one value: what the analyzer writes, what the warm-runner reads (the parts it
 * needs) and keeps as its local snapshot. {@link PlanCodec} is its Redis form, {@link PlanFile} its
 * file form. Members are raw key bytes; a higher score is warmed first.
 *
 * @param overall keys ranked over the whole range, score = expected reads
 * @param hours per UTC hour of day, index 0–23, each ranked like {@code overall}; an empty list for
 *     an hour without data, or one the reader did not read. Fewer than 24 lists are padded.
 * @param pairs members are {@code PairMember.encode(a, b)}, score = lift of b given a
 * @param meta the plan's meta hash
 * @param ttls the TTL to warm a planned key with when its loader gives none, score = ms ({@link
 *     #NO_TTL}: none); a planned key without an entry has no TTL known (older plans carry none)
 */
public record WarmPlan(
    List<Entry> overall,
    List<List<Entry>> hours,
    List<Entry> pairs,
    PlanMeta meta,
    List<Entry> ttls) {

  /** A {@link #ttls} score: the application writes this key without an expiry. */
  public static final double NO_TTL = -1;

  public static final int HOURS_OF_DAY = 24;

  public WarmPlan {
    if (hours.size() > HOURS_OF_DAY) {
      throw new IllegalArgumentException("a plan has at most 24 hour plans, not " + hours.size());
    }
    List<List<Entry>> padded = new ArrayList<>(hours);
    while (padded.size() < HOURS_OF_DAY) {
      padded.add(List.of());
    }
    overall = List.copyOf(overall);
    hours = padded.stream().map(List::copyOf).toList();
    pairs = List.copyOf(pairs);
    ttls = List.copyOf(ttls);
  }

  /** A plan that knows no TTLs. */
  public WarmPlan(List<Entry> overall, List<List<Entry>> hours, List<Entry> pairs, PlanMeta meta) {
    this(overall, hours, pairs, meta, List.of());
  }

  /** The plan for one UTC hour of day, 0–23 (empty if it has none). */
  public List<Entry> hour(int hourOfDay) {
    return hours.get(hourOfDay);
  }

  /** One member and its score; equal when their bytes and scores are. */
  public record Entry(byte[] member, double score) {

    @Override
    public boolean equals(Object other) {
      return other instanceof Entry e
          && Arrays.equals(member, e.member)
          && Double.compare(score, e.score) == 0;
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(member) + Double.hashCode(score);
    }

    @Override
    public String toString() {
      return Arrays.toString(member) + "=" + score;
    }
  }
}
