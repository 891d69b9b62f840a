package dev.keywarm.schema;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of every Redis key keywarm writes. Nothing else in keywarm builds a keywarm key string.
 *
 * <p>Per application and per UTC hour ({@link HourBucket}, {@code yyyyMMddHH}):
 * <pre>
 *   kw:{app}:h:2026112310:hits     sorted set  member = cache key bytes, score = GETs that found a value
 *   kw:{app}:h:2026112310:misses   sorted set  member = cache key bytes, score = GETs that found nil
 *   kw:{app}:h:2026112310:writes   sorted set  member = cache key bytes, score = SET-family writes
 *   kw:{app}:h:2026112310:loadus   sorted set  member = cache key bytes, score = summed load time, µs
 *   kw:{app}:h:2026112310:loads    sorted set  member = cache key bytes, score = loads timed (miss → SET)
 *   kw:{app}:h:2026112310:meta     hash        counters about the hour itself (see {@link MetaField})
 * </pre>
 * The app name sits in a hash tag, so on Redis Cluster all of one app's keys share one slot and a
 * flush is one pipeline to one node. Every key expires {@link #DEFAULT_RETENTION} (or the configured
 * retention) after the end of its hour. Members are the application's raw key bytes (binary-safe);
 * keys longer than {@link StoredKey#MAX_BYTES} are stored truncated with a hash suffix.
 */
public final class KeySchema {

  public static final String PREFIX = "kw:";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(8);
  private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** The per-hour sorted sets, in the order a flush writes them. */
  public enum HourlySet {
    HITS("hits"), MISSES("misses"), WRITES("writes"), LOAD_MICROS("loadus"), LOADS("loads");

    final String suffix;

    HourlySet(String suffix) {
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }
  }

  /** Fields of the per-hour {@code meta} hash: what the agent saw but could not attribute to a key. */
  public enum MetaField {
    /** Hits/misses/writes of keys evicted from the agent's bounded summary before a flush. */
    DROPPED_HITS("dropped_hits"), DROPPED_MISSES("dropped_misses"), DROPPED_WRITES("dropped_writes"),
    /** Calls lost because a recording buffer was full (counted, never blocking the caller). */
    LOST_EVENTS("lost_events"),
    /** Keys longer than {@link StoredKey#MAX_BYTES} stored truncated. */
    TRUNCATED_KEYS("truncated_keys"),
    /** Flushes that contributed to this hour (one per agent per window). */
    FLUSHES("flushes");

    final String field;

    MetaField(String field) {
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private final String app;
  private final String base;

  private KeySchema(String app) {
    this.app = app;
    this.base = PREFIX + "{" + app + "}:";
  }

  /** @throws IllegalArgumentException if the name could break the schema (braces, spaces, colons) */
  public static KeySchema forApp(String app) {
    if (app == null || !APP_NAME.matcher(app).matches()) {
      throw new IllegalArgumentException(
          "app name must be 1-64 characters of A-Z a-z 0-9 . _ - but was '" + app + "'");
    }
    return new KeySchema(app);
  }

  public static boolean isValidAppName(String app) {
    return app != null && APP_NAME.matcher(app).matches();
  }

  public String app() {
    return app;
  }

  public String hourly(HourBucket hour, HourlySet set) {
    return base + "h:" + hour.format() + ":" + set.suffix;
  }

  public List<String> hourlySets(HourBucket hour) {
    return List.of(hourly(hour, HourlySet.HITS), hourly(hour, HourlySet.MISSES),
        hourly(hour, HourlySet.WRITES), hourly(hour, HourlySet.LOAD_MICROS),
        hourly(hour, HourlySet.LOADS));
  }

  public String meta(HourBucket hour) {
    return base + "h:" + hour.format() + ":meta";
  }

  /** Epoch second at which an hour's keys expire: the end of the hour plus the retention. */
  public static long expireAtEpochSecond(HourBucket hour, Duration retention) {
    return (hour.endMillis() + retention.toMillis()) / 1000;
  }

  /** True for any key this schema names, for any app: keywarm's own keys are never recorded. */
  public static boolean isKeywarmKey(byte[] key) {
    if (key.length < PREFIX.length() + 2) {
      return false;
    }
    for (int i = 0; i < PREFIX.length(); i++) {
      if (key[i] != PREFIX.charAt(i)) {
        return false;
      }
    }
    return key[PREFIX.length()] == '{';
  }

  public static byte[] ascii(String key) {
    return key.getBytes(StandardCharsets.US_ASCII);
  }
}
