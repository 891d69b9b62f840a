package dev.keywarm.analyzer.read;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.Shard;
import dev.keywarm.schema.StatsShards;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * {@link KeyTtls} from the stats Redis: the hourly {@code ttl} sets ({@link KeySchema#ttls}) are
 * asked newest hour first, as the TTL the application gives a key now is the one a warm should give
 * it, and each hour only for the keys no newer hour had. Per ~{@value #HOURS_PER_PIPELINE} hours,
 * one pipelined {@code HKEYS} of the hours' metas names their shards ({@link KeySchema#readShards})
 * and one pipelined {@code ZCARD} per shard skips the shards without a set. A key is asked in the
 * one shard of each shard count that can hold it ({@link dev.keywarm.schema.StatsShards#of}), on
 * the node owning it ({@link StatsNodes}); an hour written with two counts answers from the smaller
 * count's shard first (both were written within the same hour). Then {@code ZMSCORE} of {@value
 * #CHUNK} members per command, {@value #ROUND_TRIP} per round trip, so the reply per trip stays
 * bounded whatever the plan's size. Cost: at most (keys × hours with a set × shard counts per hour)
 * member lookups, far fewer when the planned keys were written recently; a key never written in
 * range is asked in every such hour.
 *
 * <p>{@code ZMSCORE} needs Redis 6.2: an older server answers {@code ERR unknown command}, and from
 * then on the same members are asked with pipelined {@code ZSCORE}s, the same answer in more
 * commands.
 */
public final class HourlyTtlReader implements KeyTtls {

  static final int CHUNK = 1_000;
  static final int ROUND_TRIP = 10_000;
  private static final int HOURS_PER_PIPELINE = 200;

  private final StatsNodes nodes;
  private final KeySchema schema;
  private boolean zmscore = true;

  /** On one server that holds every shard (standalone). */
  public HourlyTtlReader(Jedis jedis, KeySchema schema) {
    this(StatsNodes.standalone(jedis), schema);
  }

  public HourlyTtlReader(StatsNodes nodes, KeySchema schema) {
    this.nodes = nodes;
    this.schema = schema;
  }

  @Override
  public double[] millis(HourRange range, List<byte[]> keys) {
    double[] millis = new double[keys.size()];
    Arrays.fill(millis, Double.NaN);
    int[] unknown = new int[keys.size()];
    Arrays.setAll(unknown, i -> i);
    int left = unknown.length;
    for (HourSets hour : newestFirstWithSets(range)) {
      if (left == 0) {
        break;
      }
      for (int count : hour.counts()) {
        StatsShards layout = schema.shards(count);
        List<Shard> shards = layout.all(schema);
        // the unknown keys by the shard that can hold them, only the shards with a set
        Map<Shard, int[]> byShard = new LinkedHashMap<>();
        Map<Shard, Integer> sizes = new HashMap<>();
        for (int i = 0; i < left; i++) {
          int id = unknown[i];
          if (!Double.isNaN(millis[id])) {
            continue; // found in this hour's other shard count
          }
          Shard shard = shards.get(layout.of(keys.get(id)));
          if (!hour.withSet().contains(shard.base())) {
            continue;
          }
          int[] ids = byShard.computeIfAbsent(shard, s -> new int[8]);
          int n = sizes.getOrDefault(shard, 0);
          if (n == ids.length) {
            ids = Arrays.copyOf(ids, n * 2);
            byShard.put(shard, ids);
          }
          ids[n] = id;
          sizes.put(shard, n + 1);
        }
        for (Map.Entry<Shard, int[]> e : byShard.entrySet()) {
          Shard shard = e.getKey();
          int[] ids = e.getValue();
          int n = sizes.get(shard);
          Jedis node = nodes.forSlot(shard.slot());
          byte[] set = KeySchema.ascii(schema.ttls(hour.hour(), shard));
          for (int from = 0; from < n; from += ROUND_TRIP) {
            int to = Math.min(n, from + ROUND_TRIP);
            List<Double> seconds = scores(node, set, keys, ids, from, to);
            for (int i = from; i < to; i++) {
              Double s = seconds.get(i - from);
              if (s != null) {
                millis[ids[i]] = KeyTtls.millisOf(s);
              }
            }
          }
        }
      }
      // compacts the unknown indices in place: `still` never passes the index being read
      int still = 0;
      for (int i = 0; i < left; i++) {
        if (Double.isNaN(millis[unknown[i]])) {
          unknown[still++] = unknown[i];
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

  /** An hour, the shard counts its meta names, and the bases of its shards that have a ttl set. */
  private record HourSets(HourBucket hour, SortedSet<Integer> counts, Set<String> withSet) {}

  private List<HourSets> newestFirstWithSets(HourRange range) {
    List<HourBucket> hours = new ArrayList<>(range.list());
    Collections.reverse(hours);
    List<HourSets> withSets = new ArrayList<>();
    Jedis home = nodes.home(schema);
    for (int from = 0; from < hours.size(); from += HOURS_PER_PIPELINE) {
      List<HourBucket> chunk =
          hours.subList(from, Math.min(hours.size(), from + HOURS_PER_PIPELINE));
      Pipeline p = home.pipelined();
      List<Response<Set<String>>> fields = new ArrayList<>(chunk.size());
      for (HourBucket hour : chunk) {
        fields.add(p.hkeys(schema.meta(hour)));
      }
      p.sync();
      Pipeline[] pipelines = new Pipeline[nodes.size()];
      List<SortedSet<Integer>> counts = new ArrayList<>(chunk.size());
      List<List<Shard>> shards = new ArrayList<>(chunk.size());
      List<List<Response<Long>>> cards = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        HourBucket hour = chunk.get(i);
        counts.add(KeySchema.shardCounts(fields.get(i).get()));
        List<Shard> all = schema.readShards(hour, counts.get(i));
        List<Response<Long>> c = new ArrayList<>(all.size());
        for (Shard shard : all) {
          int node = nodes.nodeOf(shard.slot());
          if (pipelines[node] == null) {
            pipelines[node] = nodes.node(node).pipelined();
          }
          c.add(pipelines[node].zcard(KeySchema.ascii(schema.ttls(hour, shard))));
        }
        shards.add(all);
        cards.add(c);
      }
      for (Pipeline np : pipelines) {
        if (np != null) {
          np.sync();
        }
      }
      for (int i = 0; i < chunk.size(); i++) {
        Set<String> withSet = new HashSet<>();
        for (int s = 0; s < shards.get(i).size(); s++) {
          if (cards.get(i).get(s).get() > 0) {
            withSet.add(shards.get(i).get(s).base());
          }
        }
        if (!withSet.isEmpty()) {
          withSets.add(new HourSets(chunk.get(i), counts.get(i), withSet));
        }
      }
    }
    return withSets;
  }

  /** The scores (null: not a member) of {@code keys[ids[from..to)]} in {@code set}, in order. */
  private List<Double> scores(
      Jedis jedis, byte[] set, List<byte[]> keys, int[] ids, int from, int to) {
    if (zmscore) {
      try {
        return zmscore(jedis, set, keys, ids, from, to);
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

  private List<Double> zmscore(
      Jedis jedis, byte[] set, List<byte[]> keys, int[] ids, int from, int to) {
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
