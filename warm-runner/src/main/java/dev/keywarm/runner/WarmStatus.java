package dev.keywarm.runner;

/** How a warm run ended. */
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
  CANCELLED
}
