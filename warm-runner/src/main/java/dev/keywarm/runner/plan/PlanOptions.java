package dev.keywarm.runner.plan;

/**
 * How much of a plan to read.
 *
 * @param maxKeys most keys in the primary order plus the next hour (pairs come on top, at most as
 *     many)
 * @param historyDays days of hourly sets the fallback ranking reads when no plan exists
 * @param minPairLift correlated keys need at least this lift
 * @param nextHour also warm the next hour's plan, after everything else
 */
public record PlanOptions(int maxKeys, int historyDays, double minPairLift, boolean nextHour) {

  public PlanOptions {
    if (maxKeys < 1 || historyDays < 1) {
      throw new IllegalArgumentException("maxKeys and historyDays must be >= 1");
    }
  }
}
