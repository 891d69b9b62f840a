package dev.keywarm.agent.recording;

import dev.keywarm.schema.HourBucket;

/**
 * What one flush window recorded for one hour, frozen for the flusher: per-key counters in parallel
 * arrays (entry i is {@code members[i]}), co-access pairs ({@code pairs[i]} is a
 * {@link dev.keywarm.schema.PairMember}) and the window's totals that no key carries.
 */
public record WindowSnapshot(
    HourBucket hour,
    byte[][] members,
    long[] hits,
    long[] misses,
    long[] writes,
    long[] loadNanos,
    long[] loads,
    long droppedHits,
    long droppedMisses,
    long droppedWrites,
    long lostEvents,
    long truncatedKeys,
    byte[][] pairs,
    long[] pairCounts) {

  public int size() {
    return members.length;
  }

  public boolean isEmpty() {
    return members.length == 0 && pairs.length == 0 && droppedHits == 0 && droppedMisses == 0 && droppedWrites == 0
        && lostEvents == 0;
  }

  /** Events attributed to keys, plus those only counted in the totals. */
  public long droppedEvents() {
    return droppedHits + droppedMisses + droppedWrites + lostEvents;
  }
}
