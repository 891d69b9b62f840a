package dev.keywarm.analyzer.read;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import java.util.List;
import java.util.Map;

/**
 * Everything read for one app over one range: per-key totals and breakdowns, ordered pair counts,
 * the summed meta counters, which hours had data, and which hours were held out for the backtest.
 *
 * @param presentHours hours with any hits or misses, oldest first
 * @param missingHours hours in the range with no reads recorded
 * @param heldOutHours the most recent present hours, kept out of the backtest's training data
 * @param halfLifeHours recency half-life used for {@link KeyTable#decayedReads}, or 0 for none
 * @param skippedPairMembers pairs members that were not valid {@code PairMember}s
 * @param partialHours present hours that agents were still writing while they were read
 * @param patternTtls the TTLs written per key pattern, every hour in range merged (the keys' own
 *     TTLs are asked later, for the planned keys only: {@link KeyTtls})
 */
public record RangeData(
    String app,
    HourRange range,
    KeyTable keys,
    PairCounts pairs,
    Map<String, Long> meta,
    List<HourBucket> presentHours,
    List<HourBucket> missingHours,
    List<HourBucket> heldOutHours,
    double halfLifeHours,
    long skippedPairMembers,
    long pairHours,
    List<HourBucket> partialHours,
    PatternTtls patternTtls) {

  public boolean isEmpty() {
    return presentHours.isEmpty();
  }
}
