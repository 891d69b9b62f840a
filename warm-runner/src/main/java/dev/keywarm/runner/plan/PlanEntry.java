package dev.keywarm.runner.plan;

/**
 * One key to warm. {@code weight} is its expected reads in the ranking it came from (plan score, or
 * hits + misses in the fallback); correlated keys carry weight 0, as they are extras beyond the
 * ranking that coverage is measured against.
 */
public record PlanEntry(byte[] key, double weight, Source source) {

  /** Where in the order an entry came from. */
  public enum Source {
    HOUR,
    OVERALL,
    PAIR,
    NEXT_HOUR,
    /** The agent's hot-set snapshot, restored before the plan is read: not part of the ranking. */
    SNAPSHOT
  }
}
