package dev.keywarm.runner.standing;

import dev.keywarm.runner.WarmSettings;
import dev.keywarm.runner.engine.TtlChoice;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.KeyBytes;
import dev.keywarm.runner.plan.ObservedTtls;
import dev.keywarm.runner.plan.PlanOptions;
import dev.keywarm.runner.plan.PlanResolver;
import dev.keywarm.runner.plan.WarmOrder;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.KeySchema;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What the techniques share, owned by {@link StandingWarm}'s scheduler thread: the connections (set
 * on every connect), the loads, the clock, and the current plan, which the service reads again
 * every {@value StandingWarm#PLAN_REFRESH_MINUTES} min and at each UTC hour.
 */
final class StandingContext {

  /** Hours of the agent's {@code ttl} sets looked through for a key's observed TTL. */
  static final int OBSERVED_TTL_HOURS = 24;

  final WarmSettings warm;
  final StandingSettings standing;
  final KeySchema schema;
  final LoaderTable loaders;
  final KeyLoads loads;
  final Clock clock;

  /** The cache Redis: set with {@link #useCache}; null while not connected. */
  UnifiedJedis cache;

  UnifiedJedis stats;

  /** Answers {@link #prefetchPresence} read ahead for {@link #isCached}, each taken once. */
  private final Map<KeyBytes, Boolean> presence = new HashMap<>();

  /** {@link #cache}'s target: what a write asks whether the server has per-field TTLs. */
  RedisTarget cacheTarget;

  /** True while this instance holds the lease by its local deadline; set by the service. */
  BooleanSupplier lease = () -> true;

  /** This hour's order (hour plan, then overall), as many keys as the techniques watch. */
  WarmOrder current;

  /** The observed TTLs of {@link #current}'s keys that refresh-ahead watches, then the plan's. */
  ObservedTtls currentTtls = ObservedTtls.none();

  StandingContext(
      WarmSettings warm,
      StandingSettings standing,
      LoaderTable loaders,
      KeyLoads loads,
      Clock clock) {
    this.warm = warm;
    this.standing = standing;
    this.schema = KeySchema.forApp(warm.app());
    this.loaders = loaders;
    this.loads = loads;
    this.clock = clock;
  }

  /**
   * The order a warm at {@code at} would follow, at most {@code maxKeys} keys. No plan snapshot is
   * read or written: the standing warm reads a few keys for another hour than a restart's warm, and
   * must not replace that warm's snapshot with them.
   */
  WarmOrder resolve(Instant at, int maxKeys) {
    return new PlanResolver(
            stats,
            schema,
            new PlanOptions(maxKeys, warm.historyDays(), warm.minPairLift(), false),
            null)
        .resolve(at);
  }

  /** The TTLs the application gave {@code keys} (newest hour first), then {@code plan}'s. */
  ObservedTtls observedTtls(List<byte[]> keys, ObservedTtls plan) {
    try {
      return ObservedTtls.lookUp(stats, schema, keys, clock.instant(), OBSERVED_TTL_HOURS).or(plan);
    } catch (JedisException e) {
      return plan; // the plan's TTLs still apply; the loader's and the configured ones too
    }
  }

  TtlChoice ttls(ObservedTtls observed) {
    return new TtlChoice(warm, loaders, observed);
  }

  /** Connects the techniques to the cache Redis ({@code null}: disconnected). */
  void useCache(RedisTarget target) {
    cacheTarget = target;
    cache = target == null ? null : target.client();
  }

  /** True while this instance may still act as the lease holder. */
  boolean holding() {
    return lease.getAsBoolean();
  }

  /**
   * Reads whether each of {@code members} is in the cache in one pipeline, for the next {@link
   * #isCached} of each: a batch's presence checks cost one round trip, not one per key. Unanswered
   * ones (a failed pipeline) are asked one by one as before.
   */
  void prefetchPresence(List<byte[]> members) {
    presence.clear();
    if (members.size() < 2 || cache == null) {
      return;
    }
    List<Response<Boolean>> replies = new ArrayList<>(members.size());
    try (AbstractPipeline pipeline = cache.pipelined()) {
      for (byte[] member : members) {
        replies.add(
            FieldMember.isField(member)
                ? pipeline.hexists(FieldMember.key(member), FieldMember.field(member))
                : pipeline.exists(member));
      }
      pipeline.sync();
    } catch (JedisException e) {
      return; // asked again one by one, where the errors are handled
    }
    for (int i = 0; i < members.size(); i++) {
      try {
        presence.put(new KeyBytes(members.get(i)), replies.get(i).get());
      } catch (JedisDataException e) {
        if (FieldMember.isField(members.get(i))) {
          presence.put(new KeyBytes(members.get(i)), true); // WRONGTYPE: the application's value
        }
      }
    }
  }

  /**
   * True if the plan member is in the cache: {@code EXISTS} for a key, {@code HEXISTS} for a hash
   * field; a field whose key holds another type counts as cached (the application's value).
   */
  boolean isCached(byte[] member) {
    Boolean known = presence.remove(new KeyBytes(member));
    if (known != null) {
      return known;
    }
    if (!FieldMember.isField(member)) {
      return cache.exists(member);
    }
    try {
      return cache.hexists(FieldMember.key(member), FieldMember.field(member));
    } catch (JedisDataException e) {
      return true; // WRONGTYPE: the key is the application's, in another shape
    }
  }
}
