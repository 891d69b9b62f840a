package dev.keywarm.analyzer;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;

/**
 * What a test records for one app, call for call as the agent records it: {@link AgentWrites} sends
 * it to a real Redis (for the tests of the reader, the plan and the command: {@code *IT}), {@code
 * RangeDataBuilder} keeps it in memory and builds what the reader would read from it (for the unit
 * tests of the analysis and the reports). A count ≤ 0 is not recorded, as the agent sends none.
 */
public interface HourlyWrites {

  HourlyWrites hits(HourBucket hour, String key, double count);

  HourlyWrites hits(HourBucket hour, byte[] key, double count);

  HourlyWrites misses(HourBucket hour, String key, double count);

  HourlyWrites misses(HourBucket hour, byte[] key, double count);

  /** {@code loads} timed loads taking {@code microsEach} µs each. */
  HourlyWrites loads(HourBucket hour, String key, double loads, double microsEach);

  HourlyWrites pair(HourBucket hour, String first, String second, double count);

  /** A pairs member as given, valid {@code PairMember} encoding or not. */
  HourlyWrites rawPairMember(HourBucket hour, byte[] member, double count);

  /** {@code HINCRBY} of one meta field, as the agent's flush does. */
  HourlyWrites meta(HourBucket hour, KeySchema.MetaField field, long count);

  /** {@code HSET} of raw meta fields and values, whatever the field or value. */
  HourlyWrites hset(HourBucket hour, String... fieldsAndValues);

  /** {@code ZADD} of the TTL the application last gave {@code key} in the hour, s (-1: none). */
  HourlyWrites ttl(HourBucket hour, String key, double seconds);

  /**
   * {@code HINCRBY} of the hour's per-pattern TTL histogram: {@code writes} writes of {@code
   * pattern} with TTL bucket {@code bucketMillis} ({@code TtlHistogram.NONE}: without TTL).
   */
  HourlyWrites ttlWrites(HourBucket hour, String pattern, long bucketMillis, long writes);
}
