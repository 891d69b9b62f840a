package dev.keywarm.runner;

import java.util.Locale;

/**
 * How a warm run ended; {@link #field()} is how the result record, the readiness JSON and the log
 * write it.
 */
public enum WarmStatus {
  /** Every planned key was tried. */
  COMPLETED,
  /** Stopped at the key, byte or time budget. */
  BUDGET_REACHED,
  /** Stopped because loader errors and timeouts passed the configured rate. */
  ABORTED,
  /** Stopped because Redis (target or stats) stayed unreachable, or the plan could not be read. */
  FAILED,
  /** Another instance holds the fleet lease and warms for everyone; this one did nothing. */
  LEASE_HELD,
  /**
   * Another instance warmed for the fleet and this one waited for it ({@code awaitLeader}); counts
   * and coverage are the leader's, from its result record.
   */
  FOLLOWED_LEADER,
  /** {@link WarmHandle#cancel()} was called. */
  CANCELLED;

  /** {@code completed}, {@code budget_reached}, …. */
  public String field() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status a {@link #field()} names, or null. */
  public static WarmStatus ofField(String field) {
    for (WarmStatus status : values()) {
      if (status.field().equals(field)) {
        return status;
      }
    }
    return null;
  }

  /**
   * True if the run went through its plan, or up to its budget: its coverage is what it reached.
   */
  public boolean finishedPlan() {
    return this == COMPLETED || this == BUDGET_REACHED;
  }
}
