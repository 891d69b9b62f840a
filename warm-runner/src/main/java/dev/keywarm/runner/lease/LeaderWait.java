package dev.keywarm.runner.lease;

import dev.keywarm.runner.WarmProgress;
import dev.keywarm.runner.WarmResult;
import dev.keywarm.runner.WarmStatus;
import dev.keywarm.runner.report.ResultRecord;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.WarmResultField;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * An instance that did not get the {@link FleetLease} and was asked to wait ({@code awaitLeader}):
 * it polls until the lease is gone, then reports the leader's result record as its own, so that
 * readiness gates every instance of a fleet, not only the one that warms.
 */
public final class LeaderWait {

  private LeaderWait() {}

  /**
   * Polls (a tenth of the lease TTL, 10–200 ms) until the lease is gone or {@code giveUp} says so.
   *
   * @return the leader's result record, or null if it left none or the wait gave up first
   */
  public static Map<String, String> await(
      UnifiedJedis stats, KeySchema schema, Duration leaseTtl, BooleanSupplier giveUp)
      throws InterruptedException {
    while (stats.exists(schema.warmLease())) {
      if (giveUp.getAsBoolean()) {
        return null;
      }
      Thread.sleep(Math.max(10, Math.min(200, leaseTtl.toMillis() / 10)));
    }
    Map<String, String> record = stats.hgetAll(schema.warmLastResult());
    return record.isEmpty() ? null : record;
  }

  /**
   * This instance's result after following: the leader's counts, and its coverage if it finished
   * its plan (else 0: what it did not finish does not make this instance ready); this instance's
   * name, duration and time.
   */
  public static WarmResult followed(
      Map<String, String> leader, String app, String instance, Duration elapsed, Instant now) {
    WarmStatus status = WarmStatus.ofField(leader.get(WarmResultField.STATUS.field()));
    double coverage = status != null && status.finishedPlan() ? ResultRecord.coverage(leader) : 0.0;
    WarmProgress progress = ResultRecord.progress(leader, coverage, elapsed);
    return new WarmResult(
        app,
        instance,
        WarmStatus.FOLLOWED_LEADER,
        "leader " + leader.get(WarmResultField.INSTANCE.field()),
        progress,
        now,
        null);
  }
}
