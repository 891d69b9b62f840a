package dev.keywarm.analyzer.read;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * {@link KeyTtls} from the stats Redis: the hourly {@code ttl} sets ({@link KeySchema#ttls}) are
 * asked newest hour first, as the TTL the application gives a key now is the one a warm should give
 * it, and each hour only for the keys no newer hour had. One pipelined {@code ZCARD} per hour first
 * skips the hours without a set. Then {@code ZMSCORE} of {@value #CHUNK} members per command,
 * {@value #ROUND_TRIP} per round trip, so the reply per trip stays bounded whatever the plan's
 * size. Cost: at most (keys × hours with a set) member lookups, far fewer when the planned keys
 * were written recently; a key never written in range is asked in every such hour.
 *
 * <p>{@code ZMSCORE} needs Redis 6.2: an older server answers {@code ERR unknown command}, and from
 * then on the same members are asked with pipelined {@code ZSCORE}s, the same answer in more
 * commands.
 */
public final class HourlyTtlReader implements KeyTtls {

  static final int CHUNK = 1_000;
  static final int ROUND_TRIP = 10_000;
  private static final int HOURS_PER_PIPELINE = 200;

  private final Jedis jedis;
  private final KeySchema schema;
  private boolean zmscore = true;

  public HourlyTtlReader(Jedis jedis, KeySchema schema) {
    this.jedis = jedis;
    this.schema = schema;
  }

  @Override
  public double[] millis(HourRange range, List<byte[]> keys) {
    double[] millis = new double[keys.size()];
    Arrays.fill(millis, Double.NaN);
    int[] unknown = new int[keys.size()];
    Arrays.setAll(unknown, i -> i);
    int left = unknown.length;
    for (HourBucket hour : newestFirstWithSets(range)) {
      if (left == 0) {
        break;
      }
      byte[] set = KeySchema.ascii(schema.ttls(hour));
      int still = 0;
      for (int from = 0; from < left; from += ROUND_TRIP) {
        int to = Math.min(left, from + ROUND_TRIP);
        List<Double> seconds = scores(set, keys, unknown, from, to);
        // compacts the unknown indices in place: `still` never passes the index being read
        for (int i = from; i < to; i++) {
          Double s = seconds.get(i - from);
          if (s == null) {
            unknown[still++] = unknown[i];
          } else {
            millis[unknown[i]] = KeyTtls.millisOf(s);
          }
        }
      }
      left = still;
    }
    return millis;
  }

  /** Whether this reader has fallen back to {@code ZSCORE} (the server has no {@code ZMSCORE}). */
  boolean usesZscore() {
    return !zmscore;
  }

  private List<HourBucket> newestFirstWithSets(HourRange range) {
    List<HourBucket> hours = new ArrayList<>(range.list());
    Collections.reverse(hours);
    List<HourBucket> withSets = new ArrayList<>();
    for (int from = 0; from < hours.size(); from += HOURS_PER_PIPELINE) {
      List<HourBucket> chunk =
          hours.subList(from, Math.min(hours.size(), from + HOURS_PER_PIPELINE));
      Pipeline p = jedis.pipelined();
      List<Response<Long>> cards = new ArrayList<>(chunk.size());
      for (HourBucket hour : chunk) {
        cards.add(p.zcard(KeySchema.ascii(schema.ttls(hour))));
      }
      p.sync();
      for (int i = 0; i < chunk.size(); i++) {
        if (cards.get(i).get() > 0) {
          withSets.add(chunk.get(i));
        }
      }
    }
    return withSets;
  }

  /** The scores (null: not a member) of {@code keys[ids[from..to)]} in {@code set}, in order. */
  private List<Double> scores(byte[] set, List<byte[]> keys, int[] ids, int from, int to) {
    if (zmscore) {
      try {
        return zmscore(set, keys, ids, from, to);
      } catch (JedisDataException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("ERR unknown command")) {
          throw e;
        }
        zmscore = false;
      }
    }
    Pipeline p = jedis.pipelined();
    List<Response<Double>> replies = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      replies.add(p.zscore(set, keys.get(ids[i])));
    }
    p.sync();
    List<Double> scores = new ArrayList<>(to - from);
    replies.forEach(r -> scores.add(r.get()));
    return scores;
  }

  private List<Double> zmscore(byte[] set, List<byte[]> keys, int[] ids, int from, int to) {
    Pipeline p = jedis.pipelined();
    List<Response<List<Double>>> replies = new ArrayList<>();
    for (int c = from; c < to; c += CHUNK) {
      byte[][] members = new byte[Math.min(to, c + CHUNK) - c][];
      for (int i = 0; i < members.length; i++) {
        members[i] = keys.get(ids[c + i]);
      }
      replies.add(p.zmscore(set, members));
    }
    p.sync();
    List<Double> scores = new ArrayList<>(to - from);
    for (Response<List<Double>> r : replies) {
      scores.addAll(r.get()); // throws the server's error reply
    }
    return scores;
  }
}
