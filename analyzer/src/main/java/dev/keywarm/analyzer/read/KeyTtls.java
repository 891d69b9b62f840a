package dev.keywarm.analyzer.read;

import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.plan.WarmPlan;
import java.util.List;

/**
 * The TTL the application last gave each of some keys, as the agent recorded it in the hourly
 * {@code ttl} sets: asked after the analysis, for the planned keys only, since those are not known
 * before it and the sets of a whole range are far larger than a plan.
 */
public interface KeyTtls {

  /**
   * Per key, in order: its TTL in ms from the newest hour in {@code range} with a score for it;
   * {@link WarmPlan#NO_TTL} if written there without one; NaN if no hour in range has it.
   */
  double[] millis(HourRange range, List<byte[]> keys);

  /** A {@code ttl} set's score (seconds, -1 = none) as plan ms, as the warm-runner reads it. */
  static double millisOf(double seconds) {
    return seconds < 0 ? WarmPlan.NO_TTL : Math.max(1, Math.round(seconds * 1000));
  }
}
