package dev.keywarm.schema.plan;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.PlanField;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A {@link WarmPlan} in Redis, the contract between the analyzer (which publishes) and the
 * warm-runner (which reads), on keys named by {@link KeySchema}:
 *
 * <ol>
 *   <li>{@code planOverall(gen)}, {@code planHour(gen, h)}: sorted sets, member = raw cache key,
 *       score = expected reads, warm highest first; an hour without data has no key;
 *   <li>{@code planPairs(gen)}: member = {@code PairMember(a, b)}, score = lift of b given a;
 *   <li>{@code planTtls(gen)}: member = planned cache key, score = TTL to warm it with, ms (-1:
 *       none); absent in plans written before it existed;
 *   <li>{@code planMeta(gen)}: the {@link PlanMeta} hash, plus {@code generation} and {@code
 *       expires_in_seconds};
 *   <li>{@code currentPlan()}: the generation id, SET last.
 * </ol>
 *
 * Every key of a generation is written and given its expiry, and the replies checked, before the
 * pointer is SET in a round trip of its own, so a reader that follows the pointer never sees a
 * half-written plan; an aborted publish leaves an unreferenced generation that expires on its own.
 * Each side talks to Redis with its own client through {@link Writes} and {@link Reads}, so this
 * module stays free of any client library.
 */
public final class PlanCodec {

  /** Members per ZADD. */
  public static final int ZADD_CHUNK = 1_000;

  /** Members per ZREVRANGE page when reading by rank. */
  public static final int PAGE = 5_000;

  private static final DateTimeFormatter GEN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The writes of a publish, queued (a pipeline) until {@link #sync()}. */
  public interface Writes {
    /** {@code ZADD key score member …}. */
    void zadd(String key, List<WarmPlan.Entry> entries);

    void hset(String key, Map<String, String> fields);

    void expire(String key, long seconds);

    /** {@code SET key value EX seconds}. */
    void set(String key, String value, long seconds);

    /** Sends what was queued and waits for the replies; throws if any was an error. */
    void sync();
  }

  /** The reads of a plan. */
  public interface Reads {
    /** {@code GET key}; null if absent. */
    String get(String key);

    /** {@code ZREVRANGE key start stop WITHSCORES}: by rank, highest score first. */
    List<WarmPlan.Entry> byRank(String key, long start, long stop);

    /** {@code ZREVRANGEBYSCORE key +inf min WITHSCORES LIMIT 0 count}. */
    List<WarmPlan.Entry> byScore(String key, double min, int count);

    Map<String, String> hgetAll(String key);
  }

  /**
   * Which parts of the current plan to read.
   *
   * @param hours the hours of day whose plans to read (the others stay empty)
   * @param maxEntries most members read from each sorted set
   * @param minPairScore pairs below this lift are not read
   */
  public record Query(Collection<Integer> hours, int maxEntries, double minPairScore) {}

  private PlanCodec() {}

  /**
   * A new generation id, {@code yyyyMMdd'T'HHmmss'Z'-<6 hex>}: sorts by time, unique per publish.
   */
  public static String newGeneration(Instant now) {
    return GEN_TIME.format(now) + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
  }

  /**
   * Writes {@code plan} as {@code generation}, every key expiring after {@code ttl}, then points at
   * it.
   */
  public static void publish(
      WarmPlan plan, KeySchema schema, String generation, Duration ttl, Writes redis) {
    long seconds = Math.max(1, ttl.toSeconds());
    zadd(redis, schema.planOverall(generation), plan.overall(), seconds);
    for (int h = 0; h < WarmPlan.HOURS_OF_DAY; h++) {
      zadd(redis, schema.planHour(generation, h), plan.hour(h), seconds);
    }
    zadd(redis, schema.planPairs(generation), plan.pairs(), seconds);
    zadd(redis, schema.planTtls(generation), plan.ttls(), seconds);
    PlanMeta meta =
        plan.meta()
            .with(PlanField.GENERATION, generation)
            .with(PlanField.EXPIRES_IN_SECONDS, seconds);
    redis.hset(schema.planMeta(generation), meta.toHash());
    redis.expire(schema.planMeta(generation), seconds);
    redis.sync(); // throws on an error reply: then the pointer is not moved
    redis.set(schema.currentPlan(), generation, seconds);
    redis.sync();
  }

  /** The parts of the current plan that {@code query} asks for; null if no plan was published. */
  public static WarmPlan read(KeySchema schema, Query query, Reads redis) {
    String generation = redis.get(schema.currentPlan());
    if (generation == null) {
      return null;
    }
    List<List<WarmPlan.Entry>> hours = new ArrayList<>();
    for (int h = 0; h < WarmPlan.HOURS_OF_DAY; h++) {
      hours.add(
          query.hours().contains(h)
              ? ranked(redis, schema.planHour(generation, h), query.maxEntries())
              : List.of());
    }
    List<WarmPlan.Entry> overall =
        ranked(redis, schema.planOverall(generation), query.maxEntries());
    List<WarmPlan.Entry> pairs =
        redis.byScore(schema.planPairs(generation), query.minPairScore(), query.maxEntries());
    // every TTL the plan holds (at most one per planned key, so bounded by the sets read above)
    List<WarmPlan.Entry> ttls =
        ranked(
            redis,
            schema.planTtls(generation),
            (int)
                Math.min(
                    Integer.MAX_VALUE, (long) query.maxEntries() * (1 + query.hours().size())));
    // the pointer names the generation, whatever the hash says (or whether it says anything)
    PlanMeta meta =
        PlanMeta.fromHash(redis.hgetAll(schema.planMeta(generation)))
            .with(PlanField.GENERATION, generation);
    return new WarmPlan(overall, hours, pairs, meta, ttls);
  }

  private static void zadd(Writes redis, String key, List<WarmPlan.Entry> entries, long seconds) {
    if (entries.isEmpty()) {
      return;
    }
    for (int from = 0; from < entries.size(); from += ZADD_CHUNK) {
      redis.zadd(key, entries.subList(from, Math.min(entries.size(), from + ZADD_CHUNK)));
    }
    redis.expire(key, seconds);
  }

  /**
   * Up to {@code max} members, best first, in pages by rank: a rank costs O(log n), an offset O(n).
   */
  private static List<WarmPlan.Entry> ranked(Reads redis, String key, int max) {
    List<WarmPlan.Entry> out = new ArrayList<>();
    while (out.size() < max) {
      int wanted = Math.min(PAGE, max - out.size());
      List<WarmPlan.Entry> page = redis.byRank(key, out.size(), out.size() + wanted - 1L);
      out.addAll(page);
      if (page.size() < wanted) {
        break;
      }
    }
    return out;
  }
}
