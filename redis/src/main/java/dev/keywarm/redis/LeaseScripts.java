package dev.keywarm.redis;

/**
 * One instance of a fleet does a job (a warm, keeping the snapshot): it holds a lease, {@code SET
 * lease <instance> NX PX ttl}, renews it while it works and releases it at the end — both only if
 * the lease is still its own, checked and done in one step inside Redis by these scripts, so that
 * an instance never renews or deletes a lease that expired and was taken by another. Used by the
 * runner's warm lease (through its client) and the agent's snapshot lease ({@link #renew}).
 */
public final class LeaseScripts {

  /** KEYS[1] lease, ARGV[1] instance, ARGV[2] ttl ms: 1 if renewed, 0 if not ours. */
  public static final String RENEW =
      "if redis.call('get', KEYS[1]) == ARGV[1] then "
          + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

  /**
   * KEYS[1] lease, ARGV[1] instance, ARGV[2] ttl ms: takes the lease if free, else renews it if
   * ours, in one step and one round trip: 1 if {@code instance} holds it afterwards, 0 if another
   * instance does.
   */
  public static final String ACQUIRE_OR_RENEW =
      "local h = redis.call('get', KEYS[1]) "
          + "if h == false then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end "
          + "if h == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end "
          + "return 0";

  /** KEYS[1] lease, ARGV[1] instance: 1 if released, 0 if not ours. */
  public static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then "
          + "return redis.call('del', KEYS[1]) else return 0 end";

  private LeaseScripts() {}

  /**
   * Takes the lease if free, else renews it if ours: one round trip. True when this instance holds
   * it afterwards.
   */
  public static boolean acquireOrRenew(
      RespConnection redis, String lease, String instance, long ttlMillis)
      throws java.io.IOException {
    redis.send("SET", lease, instance, "NX", "PX", ttlMillis);
    redis.send("EVAL", RENEW, 1, lease, instance, ttlMillis);
    redis.flush();
    Object taken = redis.read();
    Object renewed = redis.read();
    if (renewed instanceof RedisError error) {
      throw new java.io.IOException("lease " + lease + ": " + error.message());
    }
    return "OK".equals(taken) || Long.valueOf(1).equals(renewed);
  }

  /** Releases the lease if it is ours. */
  public static void release(RespConnection redis, String lease, String instance)
      throws java.io.IOException {
    redis.send("EVAL", RELEASE, 1, lease, instance);
    redis.flush();
    redis.read();
  }
}
