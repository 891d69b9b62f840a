package dev.keywarm.runner.plan;

import dev.keywarm.runner.WarmLog;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.plan.WarmPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import redis.clients.jedis.UnifiedJedis;

/**
 * Which plan a run warms from: the stats Redis's ({@link PlanReader}), which is then kept as the
 * local {@link PlanSnapshot}; or, when the stats Redis has none (it was the cache Redis, and it
 * restarted) or cannot be read, the last snapshot. Either is ordered for the hour of the warm.
 *
 * @param snapshot the snapshot file, or null for none
 */
public record PlanResolver(
    UnifiedJedis stats, KeySchema schema, PlanOptions options, Path snapshot) {

  /**
   * @throws RuntimeException what reading the stats Redis threw, when there is no snapshot either
   */
  public WarmOrder resolve(Instant now) {
    int hourOfDay = HourBucket.of(now).hourOfDay();
    WarmPlan plan;
    try {
      plan = new PlanReader(stats, schema).read(now, options);
    } catch (RuntimeException e) {
      WarmOrder saved = fromSnapshot(hourOfDay);
      if (saved == null) {
        throw e;
      }
      WarmLog.warn(
          "plan not readable from the stats Redis ("
              + e.getMessage()
              + "); using "
              + saved.source());
      return saved;
    }
    WarmOrder order = WarmOrder.of(plan, WarmOrder.describe(plan), hourOfDay, options);
    if (order.isEmpty()) {
      WarmOrder saved = fromSnapshot(hourOfDay);
      if (saved != null) {
        WarmLog.info("no plan or history in the stats Redis; using " + saved.source());
        return saved;
      }
    } else if (snapshot != null) {
      try {
        PlanSnapshot.save(plan, snapshot);
      } catch (IOException e) {
        WarmLog.warn("plan snapshot not written to " + snapshot + ": " + e.getMessage());
      }
    }
    return order;
  }

  private WarmOrder fromSnapshot(int hourOfDay) {
    if (snapshot == null) {
      return null;
    }
    try {
      WarmPlan saved = PlanSnapshot.load(snapshot);
      return saved == null
          ? null
          : WarmOrder.of(saved, "snapshot of " + WarmOrder.describe(saved), hourOfDay, options);
    } catch (IOException e) {
      WarmLog.warn("plan snapshot " + snapshot + " unreadable: " + e.getMessage());
      return null;
    }
  }
}
