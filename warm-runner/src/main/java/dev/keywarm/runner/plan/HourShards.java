package dev.keywarm.runner.plan;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.Shard;
import dev.keywarm.schema.StatsShards;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * The shards the runner reads of each hour, as the hour's {@code meta} names them ({@link
 * KeySchema#shardCounts}, {@link KeySchema#readShards}): every shard of every shard count that
 * wrote to it, the one-shard layout of schema version 1 when it names none. The metas live under
 * the app's tag, on one node: one pipelined {@code HKEYS} per hour asked. Each shard's sets are
 * then asked with one-key commands (or one-key commands in a pipeline), which a {@code
 * JedisCluster} routes to the node owning the shard's slot, so nothing the runner sends spans two
 * slots.
 *
 * @param counts the shard counts the hour's meta names ({1} for none)
 * @param shards every shard of those counts, each once
 */
public record HourShards(HourBucket hour, SortedSet<Integer> counts, List<Shard> shards) {

  /** The hours' shards, in the order given. */
  public static List<HourShards> of(UnifiedJedis stats, KeySchema schema, List<HourBucket> hours) {
    List<Response<Set<String>>> fields = new ArrayList<>(hours.size());
    try (AbstractPipeline pipeline = stats.pipelined()) {
      for (HourBucket hour : hours) {
        fields.add(pipeline.hkeys(schema.meta(hour)));
      }
      pipeline.sync();
    }
    List<HourShards> result = new ArrayList<>(hours.size());
    for (int i = 0; i < hours.size(); i++) {
      SortedSet<Integer> counts = KeySchema.shardCounts(fields.get(i).get());
      result.add(new HourShards(hours.get(i), counts, schema.readShards(hours.get(i), counts)));
    }
    return result;
  }

  public static HourShards of(UnifiedJedis stats, KeySchema schema, HourBucket hour) {
    return of(stats, schema, List.of(hour)).get(0);
  }

  /** The shard of {@code count} shards that holds {@code member}. */
  public static Shard shardOf(KeySchema schema, int count, byte[] member) {
    StatsShards layout = schema.shards(count);
    return schema.shard(layout, layout.of(member));
  }
}
