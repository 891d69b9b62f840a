package dev.keywarm.schema.ttl;

import java.util.Map;
import java.util.TreeMap;

/**
 * How long an application lets one key pattern's values live: a count of writes per TTL bucket, as
 * the agent publishes it per hour in {@code KeySchema.ttlPatterns(hour)} and the analyzer reads it.
 *
 * <p><b>Buckets.</b> A TTL in milliseconds is rounded <em>down</em> to two significant digits
 * ({@link #bucket}): 600 000 ms stays 600 000, 86 400 000 ms (1 day) becomes 86 000 000, 2 345 ms
 * becomes 2 300. A reported TTL is therefore never longer than the one it stands for and less than
 * 10 % shorter (exact for the usual TTLs: 1 s, 30 s, 5 min, 1 h); 90 buckets per power of ten keep
 * a pattern's histogram small however its TTLs vary. {@link #NONE} counts writes without a TTL.
 *
 * <p><b>Fields.</b> One hash field per (pattern, bucket): {@code <pattern>|<bucket ms>} ({@code -1}
 * for none), value = writes. The pattern is everything before the last {@code |}, so a pattern may
 * itself contain one.
 *
 * <p>Quantiles are over the writes that set a TTL, read as bucket lower bounds; the share without
 * TTL is reported beside them. Not thread-safe.
 */
public final class TtlHistogram {

  /** The bucket of writes that left the key without an expiry. */
  public static final long NONE = -1;

  private final TreeMap<Long, Long> counts = new TreeMap<>();
  private long withTtl;
  private long withoutTtl;

  /** {@code ttlMillis} rounded down to two significant digits; {@link #NONE} (or ≤ 0) → NONE. */
  public static long bucket(long ttlMillis) {
    if (ttlMillis <= 0) {
      return NONE;
    }
    long scale = 1;
    while (ttlMillis / scale >= 100) {
      scale *= 10;
    }
    return ttlMillis / scale * scale;
  }

  /** The hash field of one (pattern, bucket). */
  public static String field(String pattern, long bucket) {
    return pattern + "|" + bucket;
  }

  /** A parsed hash field. */
  public record Cell(String pattern, long bucket) {}

  /** The (pattern, bucket) of a field; null if it is not one (a damaged or foreign field). */
  public static Cell parse(String field) {
    int bar = field.lastIndexOf('|');
    if (bar < 0) {
      return null;
    }
    try {
      long bucket = Long.parseLong(field.substring(bar + 1));
      return bucket == NONE || bucket > 0 ? new Cell(field.substring(0, bar), bucket) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Adds {@code writes} writes of TTL {@code ttlMillis} (rounded to its bucket; ≤ 0: none). */
  public void add(long ttlMillis, long writes) {
    if (writes <= 0) {
      return;
    }
    long bucket = bucket(ttlMillis);
    counts.merge(bucket, writes, Long::sum);
    if (bucket == NONE) {
      withoutTtl += writes;
    } else {
      withTtl += writes;
    }
  }

  public void addAll(TtlHistogram other) {
    for (Map.Entry<Long, Long> cell : other.counts.entrySet()) {
      add(cell.getKey(), cell.getValue());
    }
  }

  /** Writes counted, with and without a TTL. */
  public long writes() {
    return withTtl + withoutTtl;
  }

  public long writesWithoutTtl() {
    return withoutTtl;
  }

  /** Share of the writes that set no TTL, 0–1 (0 when empty). */
  public double shareWithoutTtl() {
    long all = writes();
    return all == 0 ? 0 : (double) withoutTtl / all;
  }

  /**
   * The TTL, ms, below or at which a share {@code q} (0–1) of the TTL-setting writes fall (a bucket
   * lower bound); -1 if no write set one.
   */
  public long quantileMillis(double q) {
    if (withTtl == 0) {
      return NONE;
    }
    long rank = Math.max(1, (long) Math.ceil(q * withTtl));
    long seen = 0;
    for (Map.Entry<Long, Long> cell : counts.entrySet()) {
      if (cell.getKey() == NONE) {
        continue;
      }
      seen += cell.getValue();
      if (seen >= rank) {
        return cell.getKey();
      }
    }
    return counts.lastKey();
  }

  /**
   * The one TTL to give a key of this pattern whose own TTL is unknown: none if most writes set
   * none, else the median of those that set one. -1 = none; 0 = nothing known.
   */
  public long typicalMillis() {
    if (writes() == 0) {
      return 0;
    }
    return withoutTtl * 2 > writes() ? NONE : quantileMillis(0.5);
  }

  /** Bucket → writes, lowest first ({@link #NONE} first when present). */
  public Map<Long, Long> counts() {
    return java.util.Collections.unmodifiableMap(counts);
  }
}
