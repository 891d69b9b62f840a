package dev.keywarm.runner.lease;

import dev.keywarm.redis.LeaseScripts;
import dev.keywarm.runner.WarmLog;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * One warm per fleet: {@code SET lease <instance> NX PX ttl} in the stats Redis. The holder renews
 * the expiry every third of the TTL while it warms and, at the end, deletes the lease only if it is
 * still its own (compare-and-delete in Lua, so it never deletes a lease that expired and was taken
 * by another instance; the scripts are keywarm-redis's {@link LeaseScripts}, which the agent's
 * snapshot lease uses too). A crashed holder stops renewing, and the lease expires within one TTL.
 */
public final class FleetLease implements AutoCloseable {

  private final UnifiedJedis redis;
  private final String key;
  private final String instance;
  private final long ttlMillis;
  private ScheduledExecutorService renewer;
  private volatile boolean lost;

  private FleetLease(UnifiedJedis redis, String key, String instance, long ttlMillis) {
    this.redis = redis;
    this.key = key;
    this.instance = instance;
    this.ttlMillis = ttlMillis;
  }

  /** The lease, renewed in the background; or null if another instance holds it. */
  public static FleetLease tryAcquire(
      UnifiedJedis redis, String key, String instance, long ttlMillis) {
    String reply = redis.set(key, instance, SetParams.setParams().nx().px(ttlMillis));
    if (!"OK".equals(reply)) {
      return null;
    }
    FleetLease lease = new FleetLease(redis, key, instance, ttlMillis);
    lease.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "keywarm-lease-renewer");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, ttlMillis / 3);
    lease.renewer.scheduleAtFixedRate(lease::renew, period, period, TimeUnit.MILLISECONDS);
    return lease;
  }

  /**
   * For a holder that renews from its own loop (the standing warm) rather than a renewer thread:
   * takes {@code key} if free, else renews it if it is {@code instance}'s — one script ({@link
   * LeaseScripts#ACQUIRE_OR_RENEW}), one round trip. True when {@code instance} holds it
   * afterwards, false when another instance does; an exception when Redis did not answer (then who
   * holds it is unknown).
   */
  public static boolean acquireOrRenew(
      UnifiedJedis redis, String key, String instance, long ttlMillis) {
    return Long.valueOf(1)
        .equals(
            redis.eval(
                LeaseScripts.ACQUIRE_OR_RENEW,
                List.of(key),
                List.of(instance, Long.toString(ttlMillis))));
  }

  /** Deletes {@code key} if {@code instance} holds it (compare-and-delete). */
  public static void release(UnifiedJedis redis, String key, String instance) {
    redis.eval(LeaseScripts.RELEASE, List.of(key), List.of(instance));
  }

  /** The instance holding the lease now, or null. */
  public static String holder(UnifiedJedis redis, String key) {
    return redis.get(key);
  }

  private void renew() {
    try {
      Object renewed =
          redis.eval(LeaseScripts.RENEW, List.of(key), List.of(instance, Long.toString(ttlMillis)));
      if (Long.valueOf(0).equals(renewed) && !lost) {
        lost = true;
        WarmLog.warn(
            "warm lease "
                + key
                + " is no longer ours (expired while Redis was unreachable?);"
                + " warming continues, writes stay SET NX");
      }
    } catch (RuntimeException e) {
      // Redis unreachable for a moment: the next tick tries again; the TTL is three ticks long
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      redis.eval(LeaseScripts.RELEASE, List.of(key), List.of(instance));
    } catch (RuntimeException e) {
      WarmLog.warn("could not release the warm lease (it expires by itself): " + e.getMessage());
    }
  }
}
