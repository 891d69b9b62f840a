package dev.keywarm.demo;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.testsupport.RedisServer;
import java.util.List;

/**
 * How many of the reads a replay made the agent accounted for, read back from the stats Redis: in
 * the hour's sets, evicted from its bounded summary ({@code dropped_*}), lost at a full buffer
 * ({@code lost_reads}) or counted but not written ({@code unwritten_reads}); the keyed reads summed
 * over every shard the hour's meta names. The replay prints it, so a figure that depends on machine
 * load never goes unnoticed.
 */
record RecordedReads(long keyed, long dropped, long lost, long unwritten) {

  static RecordedReads of(RedisServer stats, String app) {
    KeySchema schema = KeySchema.forApp(app);
    long keyed = 0;
    long dropped = 0;
    long lost = 0;
    long unwritten = 0;
    HourBucket hour = HourBucket.ofEpochMillis(System.currentTimeMillis());
    for (int back = 0;
        back < 3;
        back++, hour = hour.plusHours(-1)) { // a replay may straddle an hour
      String meta = schema.meta(hour);
      List<?> fields = (List<?>) stats.command("HKEYS", meta);
      List<String> names = fields.stream().map(Object::toString).toList();
      for (KeySchema.Shard shard : schema.readShards(hour, KeySchema.shardCounts(names))) {
        for (HourlySet set : List.of(HourlySet.HITS, HourlySet.MISSES)) {
          List<?> scores =
              (List<?>)
                  stats.command("ZRANGE", schema.hourly(hour, set, shard), "0", "-1", "WITHSCORES");
          for (int i = 1; i < scores.size(); i += 2) {
            keyed += Math.round(Double.parseDouble(scores.get(i).toString()));
          }
        }
      }
      dropped +=
          field(stats, meta, MetaField.DROPPED_HITS) + field(stats, meta, MetaField.DROPPED_MISSES);
      lost += field(stats, meta, MetaField.LOST_READS);
      unwritten += field(stats, meta, MetaField.UNWRITTEN_READS);
    }
    return new RecordedReads(keyed, dropped, lost, unwritten);
  }

  private static long field(RedisServer stats, String meta, MetaField field) {
    Object value = stats.command("HGET", meta, field.field());
    return value == null ? 0 : Long.parseLong(value.toString());
  }

  /** One line: the share of {@code replayed} reads attributed to keys, and where the rest went. */
  String describe(long replayed) {
    long accounted = keyed + dropped + lost + unwritten;
    return String.format(
        "agent: %,d of %,d reads attributed to keys (%.3f %%); evicted from the "
            + "summary %,d, lost at a full buffer %,d, not written %,d%s",
        keyed,
        replayed,
        100.0 * keyed / Math.max(1, replayed),
        dropped,
        lost,
        unwritten,
        accounted == replayed ? "" : String.format(" — %,d unaccounted", replayed - accounted));
  }
}
