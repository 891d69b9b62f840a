package dev.keywarm.runner.plan;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.plan.WarmPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * The expiry the application itself gave each key it wrote, as the agent recorded it in the hourly
 * {@code ttl} sets ({@link KeySchema#ttls}): looked up for the keys a warm loads, newest hour first
 * ({@code ZMSCORE} in chunks of {@value #CHUNK}, only for the keys not found yet), at most {@code
 * hours} back. A key the application writes without expiry maps to {@link #NONE}; a key never seen
 * written is absent (the configured TTL, else the default, applies).
 *
 * <p>The analyzer's plan carries a TTL per planned key too ({@link WarmPlan#ttls}: the key's own,
 * else its pattern's typical one, {@link #of(List)}); a warm asks the lookup first, as it is the
 * newer word on the key itself, then the plan ({@link #or}).
 */
public final class ObservedTtls {

  /** The application wrote the key without an expiry. */
  public static final long NONE = -1;

  static final int CHUNK = 1_000;

  private final Map<KeyBytes, Long> millis;

  /** Asked for the keys {@link #millis} does not know; null for none. */
  private final ObservedTtls fallback;

  private ObservedTtls(Map<KeyBytes, Long> millis) {
    this(millis, null);
  }

  private ObservedTtls(Map<KeyBytes, Long> millis, ObservedTtls fallback) {
    this.millis = millis;
    this.fallback = fallback;
  }

  public static ObservedTtls none() {
    return new ObservedTtls(Map.of());
  }

  /** The TTLs a plan carries: score = ms, {@link WarmPlan#NO_TTL} = none. */
  public static ObservedTtls of(List<WarmPlan.Entry> planTtls) {
    Map<KeyBytes, Long> millis = new HashMap<>();
    for (WarmPlan.Entry entry : planTtls) {
      millis.put(
          new KeyBytes(entry.member()),
          entry.score() < 0 ? NONE : Math.max(1, Math.round(entry.score())));
    }
    return new ObservedTtls(millis);
  }

  /** These TTLs, and {@code fallback}'s for the keys these do not know (a view: nothing copied). */
  public ObservedTtls or(ObservedTtls fallback) {
    return fallback.size() == 0 ? this : new ObservedTtls(millis, fallback);
  }

  /**
   * Looks up {@code keys}; a stats Redis that fails leaves the rest unknown. Each hour is asked in
   * the shards its meta names ({@link HourShards}): a key in the one shard of each shard count that
   * can hold it, the smaller count first, one-key {@code ZMSCORE}s in one pipeline (a {@code
   * JedisCluster}'s groups them by node).
   */
  public static ObservedTtls lookUp(
      UnifiedJedis stats, KeySchema schema, List<byte[]> keys, Instant now, int hours) {
    Map<KeyBytes, Long> found = new HashMap<>();
    List<byte[]> unknown = new ArrayList<>(keys);
    List<HourBucket> range = new ArrayList<>(hours);
    for (int h = 0; h < hours; h++) {
      range.add(HourBucket.of(now).plusHours(-h));
    }
    List<HourShards> layouts = unknown.isEmpty() ? List.of() : HourShards.of(stats, schema, range);
    for (HourShards hour : layouts) {
      if (unknown.isEmpty()) {
        break;
      }
      // the unknown keys by the shard that can hold them, each shard's in request order
      Map<KeySchema.Shard, List<byte[]>> byShard = new LinkedHashMap<>();
      for (int count : hour.counts()) {
        for (byte[] key : unknown) {
          byShard
              .computeIfAbsent(HourShards.shardOf(schema, count, key), s -> new ArrayList<>())
              .add(key);
        }
      }
      List<List<byte[]>> asked = new ArrayList<>();
      List<Response<List<Double>>> replies = new ArrayList<>();
      try (AbstractPipeline pipeline = stats.pipelined()) {
        for (Map.Entry<KeySchema.Shard, List<byte[]>> e : byShard.entrySet()) {
          byte[] set = KeySchema.ascii(schema.ttls(hour.hour(), e.getKey()));
          List<byte[]> members = e.getValue();
          for (int from = 0; from < members.size(); from += CHUNK) {
            List<byte[]> chunk = members.subList(from, Math.min(members.size(), from + CHUNK));
            asked.add(chunk);
            replies.add(pipeline.zmscore(set, chunk.toArray(new byte[0][])));
          }
        }
        pipeline.sync();
      }
      for (int c = 0; c < replies.size(); c++) {
        List<Double> scores = replies.get(c).get();
        for (int i = 0; i < scores.size(); i++) {
          Double seconds = scores.get(i);
          if (seconds != null) {
            found.putIfAbsent( // an hour of two shard counts: the smaller count's answer
                new KeyBytes(asked.get(c).get(i)),
                seconds < 0 ? NONE : Math.max(1, Math.round(seconds * 1000)));
          }
        }
      }
      List<byte[]> still = new ArrayList<>();
      for (byte[] key : unknown) {
        if (!found.containsKey(new KeyBytes(key))) {
          still.add(key);
        }
      }
      unknown = still;
    }
    return new ObservedTtls(found);
  }

  /** The key's observed TTL in ms, {@link #NONE}, or null if the application was not seen. */
  public Long of(byte[] key) {
    Long own = millis.get(new KeyBytes(key));
    return own != null || fallback == null ? own : fallback.of(key);
  }

  /** Keys known here and, counted again where both know one, in the fallback. */
  public int size() {
    return millis.size() + (fallback == null ? 0 : fallback.size());
  }
}
