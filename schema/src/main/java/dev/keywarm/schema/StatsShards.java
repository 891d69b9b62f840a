package dev.keywarm.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * How one app's hourly stats are spread over a Redis Cluster: {@code count} shards, each a hash tag
 * of its own, every cache key always in the same shard ({@link #of(byte[])}: FNV-1a of its member
 * bytes). With one shard the tag is the app's own, {@code {shop}}, exactly the layout of schema
 * version 1; with more, shard {@code i}'s tag is {@code {shop~n}} with the smallest {@code n ≥ 0}
 * whose slot lies in the {@code i}-th of {@code count} equal slot ranges — so on a cluster whose
 * masters own contiguous, even slot ranges (what {@code redis-cli --cluster create} makes) the
 * shards spread as evenly as the count allows: 24 shards are 8/8/8 on 3 masters, 6 each on 4, 4
 * each on 6. {@code ~} is not allowed in an app name, so no other app's keys can share a shard's
 * tag.
 *
 * <p>The agent chooses the count ({@code shards}) and writes it into each hour's meta ({@link
 * KeySchema#shardsField(int)}); readers read every shard of every count an hour names, and merge.
 */
public final class StatsShards {

  /** The most shards an app's hour may be spread over. */
  public static final int MAX = 1024;

  private final String app;
  private final String[] tags;

  StatsShards(String app, int count) {
    if (count < 1 || count > MAX) {
      throw new IllegalArgumentException("shards must be 1-" + MAX + " but was " + count);
    }
    this.app = app;
    this.tags = new String[count];
    if (count == 1) {
      tags[0] = app;
      return;
    }
    int n = 0;
    int found = 0;
    // one pass over n: each n's slot fills its range if still empty (expected ~count·ln(count)
    // tries)
    while (found < count) {
      String tag = app + "~" + n++;
      int range = (int) ((long) HashSlot.of(tag) * count / HashSlot.SLOTS);
      if (tags[range] == null) {
        tags[range] = tag;
        found++;
      }
    }
  }

  public String app() {
    return app;
  }

  public int count() {
    return tags.length;
  }

  /** The hash tag's content of shard {@code shard} (between the braces). */
  public String tag(int shard) {
    return tags[shard];
  }

  /** The shard of a cache key (or hash-field or pair member), by its stored bytes. */
  public int of(byte[] member) {
    if (tags.length == 1) {
      return 0;
    }
    int h = 0x811c9dc5;
    for (byte b : member) {
      h = (h ^ (b & 0xFF)) * 0x01000193;
    }
    return (int) (Integer.toUnsignedLong(h) % tags.length);
  }

  /** Every shard, in order. */
  public List<KeySchema.Shard> all(KeySchema schema) {
    List<KeySchema.Shard> all = new ArrayList<>(tags.length);
    for (int i = 0; i < tags.length; i++) {
      all.add(schema.shard(this, i));
    }
    return all;
  }
}
