package dev.keywarm.schema;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names of every Redis key keywarm writes. Nothing else in keywarm builds a keywarm key string.
 *
 * <p>Per application and per UTC hour ({@link HourBucket}, {@code yyyyMMddHH}):
 *
 * <pre>
 *   kw:{app}:h:2026112310:hits     sorted set  member = cache key bytes, score = GETs that found a value
 *   kw:{app}:h:2026112310:misses   sorted set  member = cache key bytes, score = GETs that found nil
 *   kw:{app}:h:2026112310:writes   sorted set  member = cache key bytes, score = SET-family writes
 *   kw:{app}:h:2026112310:loadus   sorted set  member = cache key bytes, score = summed load time, µs
 *   kw:{app}:h:2026112310:loads    sorted set  member = cache key bytes, score = loads timed (miss → SET)
 *   kw:{app}:h:2026112310:meta     hash        counters about the hour itself (see {@link MetaField})
 *   kw:{app}:h:2026112310:pairs    sorted set  member = {@link PairMember} (a, b), score = times read together
 *   kw:{app}:h:2026112310:ttl      sorted set  member = cache key bytes, score = the expiry the application last gave it, s (-1: none)
 *   kw:{app}:h:2026112310:ttlp     hash        field = {@code <key pattern>|<TTL bucket, ms>} (-1: none), value = writes ({@code TtlHistogram})
 * </pre>
 *
 * <p>Warm plans, written by the analyzer and read by the warm-runner. A plan is a generation of
 * keys, made visible all at once by pointing {@code plan:current} at it last, so a reader never
 * sees a half-written plan; older generations expire on their own:
 *
 * <pre>
 *   kw:{app}:plan:current                 string      id of the newest complete generation
 *   kw:{app}:plan:&lt;gen&gt;:overall          sorted set  member = cache key, score = expected reads (higher = warm first)
 *   kw:{app}:plan:&lt;gen&gt;:hour:07          sorted set  the same, for one UTC hour of day (00-23)
 *   kw:{app}:plan:&lt;gen&gt;:pairs            sorted set  member = {@link PairMember} (a, b), score = lift of b given a
 *   kw:{app}:plan:&lt;gen&gt;:ttl              sorted set  member = planned cache key, score = the TTL to warm it with, ms (-1: none)
 *   kw:{app}:plan:&lt;gen&gt;:meta             hash        {@link PlanField}s: generated_at, range_from, k, expected_coverage, ...
 * </pre>
 *
 * The plan as one value, and how it is written to and read from these keys and the runner's local
 * snapshot file: {@code dev.keywarm.schema.plan}.
 *
 * <p>Warm runs: {@code kw:{app}:warm:lease} (string with expiry: the instance that warms for the
 * fleet) and {@code kw:{app}:warm:last} (hash: the result record of the last warm, {@link
 * WarmResultField}s).
 *
 * <p>The standing warm (the runner's long-lived warm service): {@code kw:{app}:standing:lease}
 * (string with expiry: the instance that runs it for the fleet) and {@code
 * kw:{app}:standing:claim:<cache key bytes>} (string with expiry: the instance that loads a key the
 * lazy technique picked, so that it is loaded once per fleet, even across a lease hand-over).
 *
 * <p>The hot-set snapshot ({@code dev.keywarm.schema.snapshot}): the values of the hot keys, read
 * from the cache Redis by one instance of the app, so that a cold cache gets them back without any
 * loader:
 *
 * <pre>
 *   kw:{app}:snap:values   hash        field = cache key bytes, value = {@code SnapshotEntry} (read time, expiry, DUMP payload)
 *   kw:{app}:snap:rank     sorted set  member = cache key bytes, score = rank (higher = restore first)
 *   kw:{app}:snap:inval    sorted set  member = cache key bytes, score = epoch ms of its last write, delete or expiry change seen
 *   kw:{app}:snap:meta     hash        {@link SnapshotField}s
 *   kw:{app}:snap:lease    string      the instance that keeps the snapshot (with an expiry)
 * </pre>
 *
 * <p>Each hour's sorted sets are capped in the stats Redis by the agent (options {@code hourkeys},
 * {@code hourpairs}): the coldest members past a cap are trimmed, and what they counted goes to the
 * hour's {@code trimmed_*} {@link MetaField}s.
 *
 * <p><b>Shards (schema version 2).</b> An hour's per-key sets ({@code hits} … {@code ttl}, {@code
 * pairs}) are spread over {@link StatsShards}: with S shards, each of these names exists once per
 * shard, its hash tag the shard's ({@code kw:{shop~7}:h:2026112310:hits}), each member in the shard
 * {@link StatsShards#of(byte[])} gives it; each shard has a {@code meta} of its own for what the
 * stats Redis trimmed from the shard's sets (a script's keys must share a slot). The hour's own
 * counters ({@code meta}, {@code ttlp}) stay under the app's tag, and its {@code meta} names every
 * shard count that wrote to the hour ({@link #shardsField(int)}), so a reader reads every shard of
 * every such count and merges: {@link #readShards(HourBucket, java.util.Collection)}. With S = 1
 * the names are exactly those of version 1 (one tag, {@code kw:{shop}:h:…}): hours written before
 * the change read as one shard — no migration, nothing to convert, and the version-1 hours age out
 * with their retention. Plans, the snapshot, leases and the warm's records are small and stay under
 * the app's tag, in one slot: a plan generation is made visible by one write ({@code plan:current})
 * and read as a whole, which one slot keeps atomic and one round trip. Every key expires {@link
 * #DEFAULT_RETENTION} (or the configured retention) after the end of its hour. Members are the
 * application's raw key bytes (binary-safe); keys longer than {@link StoredKey#MAX_BYTES} are
 * stored truncated with a hash suffix.
 */
public final class KeySchema {

  public static final String PREFIX = "kw:";

  /**
   * The layout's version: 2 spreads an hour over shards ({@link StatsShards}); version 1 was one
   * shard under the app's tag, which version 2 reads as the one-shard layout.
   */
  public static final int VERSION = 2;

  /** A {@link #meta} field naming a shard count that wrote to the hour: {@code shards_24}. */
  public static final String SHARDS_FIELD_PREFIX = "shards_";

  public static final Duration DEFAULT_RETENTION = Duration.ofDays(8);
  private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** The per-hour sorted sets, in the order a flush writes them. */
  public enum HourlySet {
    HITS("hits"),
    MISSES("misses"),
    WRITES("writes"),
    LOAD_MICROS("loadus"),
    LOADS("loads");

    final String suffix;

    HourlySet(String suffix) {
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }
  }

  /**
   * Fields of the per-hour {@code meta} hash: what the agent saw but could not attribute to a key.
   */
  public enum MetaField {
    /** Hits/misses/writes of keys evicted from the agent's bounded summary before a flush. */
    DROPPED_HITS("dropped_hits"),
    DROPPED_MISSES("dropped_misses"),
    DROPPED_WRITES("dropped_writes"),
    /** Calls lost because a recording buffer was full (counted, never blocking the caller). */
    LOST_EVENTS("lost_events"),
    /** Of {@link #LOST_EVENTS}, the reads (GETs, hit or miss). */
    LOST_READS("lost_reads"),
    /**
     * Reads and writes the agent counted but could not write to the stats Redis: trimmed from a
     * full backlog during an outage, or left when the shutdown flush ran out of time. Written as
     * soon as the stats Redis takes writes again, so every event the agent took is either in the
     * hour's sets or counted here, in {@link #LOST_EVENTS} or in the {@code dropped_*} fields.
     */
    UNWRITTEN_READS("unwritten_reads"),
    UNWRITTEN_WRITES("unwritten_writes"),
    /** Keys longer than {@link StoredKey#MAX_BYTES} stored truncated. */
    TRUNCATED_KEYS("truncated_keys"),
    /** Flushes that contributed to this hour (one per agent per window). */
    FLUSHES("flushes"),
    /**
     * What the stats Redis trimmed from the hour's capped sets (the agent's {@code hourkeys} and
     * {@code hourpairs}): the removed members' summed scores, and how many members were removed.
     * Only the lowest-ranked members go, so every count still in a set is exact and a set's scores
     * plus its {@code trimmed_*} sum are all the agent wrote to it.
     */
    TRIMMED_HITS("trimmed_hits"),
    TRIMMED_HITS_MEMBERS("trimmed_hits_members"),
    TRIMMED_MISSES("trimmed_misses"),
    TRIMMED_MISSES_MEMBERS("trimmed_misses_members"),
    TRIMMED_WRITES("trimmed_writes"),
    TRIMMED_WRITES_MEMBERS("trimmed_writes_members"),
    /** Loads and load time go together: a key leaves {@code loads} and {@code loadus} at once. */
    TRIMMED_LOADS("trimmed_loads"),
    TRIMMED_LOAD_MICROS("trimmed_loadus"),
    TRIMMED_LOADS_MEMBERS("trimmed_loads_members"),
    /** Co-reads of the pairs removed from the hour's {@code pairs} set, and how many pairs. */
    TRIMMED_PAIRS("trimmed_pairs"),
    TRIMMED_PAIRS_MEMBERS("trimmed_pairs_members"),
    /** Keys whose observed TTL left the hour's {@code ttl} set (a TTL is no count: none summed). */
    TRIMMED_TTL_MEMBERS("trimmed_ttl_members");

    final String field;

    MetaField(String field) {
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /**
   * Fields of a plan's {@code planMeta(gen)} hash: written by the analyzer, read by the
   * warm-runner, values as {@code PlanMeta} formats them (numbers independent of the locale). The
   * field is the constant's name in lower case; {@code KeySchemaTest} pins every one, as data in
   * Redis depends on it.
   */
  public enum PlanField {
    GENERATED_AT,
    APP,
    /** The analysed UTC hours, {@code yyyyMMddHH}, end exclusive. */
    RANGE_FROM,
    RANGE_TO,
    /** Keys per plan (overall and each hour). */
    K,
    /** Share of the held-out hours' reads the plan covered (0–1), or {@code unmeasured}. */
    EXPECTED_COVERAGE,
    /** The same per held-out hour of day: {@code 6=0.83,7=0.9}. */
    EXPECTED_COVERAGE_HOURLY,
    BACKTEST,
    HELPS_LITTLE,
    OVERALL_KEYS,
    PAIRS,
    /** What the scores are: reads, decayed reads, or the runner's own fallback ranking. */
    RANKED_BY,
    SCHEMA_VERSION,
    GENERATION,
    EXPIRES_IN_SECONDS;

    private final String field = name().toLowerCase(Locale.ROOT);

    public String field() {
      return field;
    }
  }

  /**
   * Fields of the {@link #warmLastResult()} hash, the record of the last warm: written by the
   * instance that warmed, read by the instances that waited for it; the readiness JSON uses the
   * same names. Named like {@link PlanField}.
   */
  public enum WarmResultField {
    APP,
    INSTANCE,
    STATUS,
    PLAN_SOURCE,
    PLANNED,
    WARMED,
    SKIPPED_EXISTING,
    MISSING,
    FAILED,
    TIMED_OUT,
    NO_LOADER,
    /** Of {@link #NO_LOADER}, the hash-field members: no field loader matched their hash's key. */
    NO_FIELD_LOADER,
    RESTORED,
    SNAPSHOT_SKIPPED,
    BYTES_WRITTEN,
    DURATION_MS,
    EXPECTED_COVERAGE,
    FINISHED_AT,
    ERROR;

    private final String field = name().toLowerCase(Locale.ROOT);

    public String field() {
      return field;
    }
  }

  /**
   * Fields of the {@link #snapshotMeta()} hash: the snapshot's state, written by the instance that
   * keeps it (and {@link #INVALID_BEFORE} by every instance). Named like {@link PlanField}.
   */
  public enum SnapshotField {
    /** Epoch ms of the keeper's last completed round. */
    UPDATED_AT,
    /** The instance that keeps the snapshot. */
    INSTANCE,
    ENTRIES,
    /** Payload bytes stored, within {@link #BUDGET_BYTES}. */
    BYTES,
    BUDGET_BYTES,
    /** Hot keys left out because the budget was full (the coldest go first). */
    SKIPPED_OVER_BUDGET,
    /** Hot keys whose value is larger than the per-value limit. */
    SKIPPED_TOO_LARGE,
    /** Hot keys without a TTL that no opt-in pattern matches. */
    SKIPPED_NO_TTL,
    /**
     * Epoch ms before which no entry may be restored: set when an instance could not tell which
     * keys were written (an event lost, its invalidation list full), so the snapshot is trusted
     * only for what was read after that.
     */
    INVALID_BEFORE,
    /**
     * The stats Redis's run id when the snapshot was last kept on it: a different one (a restart
     * from disk, a failover) may have lost invalidations, so {@link #INVALID_BEFORE} is raised.
     */
    STATS_RUN_ID;

    private final String field = name().toLowerCase(Locale.ROOT);

    public String field() {
      return field;
    }
  }

  /**
   * One shard of an hour's per-key sets: shard {@code index} of {@code count}, its names beginning
   * with {@code base} ({@code kw:{shop~7}:}).
   */
  public record Shard(int count, int index, String base) {
    /** The hash tag's slot, the same for every name of the shard. */
    public int slot() {
      return HashSlot.of(base);
    }
  }

  private final String app;
  private final String base;
  private final Shard single;
  private final java.util.concurrent.ConcurrentHashMap<Integer, StatsShards> shards =
      new java.util.concurrent.ConcurrentHashMap<>();

  private KeySchema(String app) {
    this.app = app;
    this.base = PREFIX + "{" + app + "}:";
    this.single = new Shard(1, 0, base);
  }

  /** The slot of every name under the app's own tag: plans, the snapshot, each hour's meta. */
  public int slot() {
    return HashSlot.of(base);
  }

  /** The app's hours spread over {@code count} shards (1-{@value StatsShards#MAX}). */
  public StatsShards shards(int count) {
    return shards.computeIfAbsent(count, c -> new StatsShards(app, c));
  }

  public Shard shard(StatsShards layout, int index) {
    if (layout.count() == 1) {
      return single;
    }
    return new Shard(layout.count(), index, PREFIX + "{" + layout.tag(index) + "}:");
  }

  /** The meta field by which an hour names a shard count that wrote to it. */
  public static String shardsField(int count) {
    return SHARDS_FIELD_PREFIX + count;
  }

  /**
   * The shard counts an hour's {@link #meta} names, and always 1: an hour written by schema version
   * 1 names none, and in an hour of a rolling upgrade version-1 agents write the one-shard names
   * while the new ones name their count (reading the one shard costs a few empty look-ups).
   */
  public static java.util.SortedSet<Integer> shardCounts(java.util.Collection<String> metaFields) {
    java.util.SortedSet<Integer> counts = new java.util.TreeSet<>();
    for (String field : metaFields) {
      if (field.startsWith(SHARDS_FIELD_PREFIX)) {
        try {
          int count = Integer.parseInt(field.substring(SHARDS_FIELD_PREFIX.length()));
          if (count >= 1 && count <= StatsShards.MAX) {
            counts.add(count);
          }
        } catch (NumberFormatException notOurs) {
          // a field that only looks like one: not a shard count
        }
      }
    }
    counts.add(1);
    return counts;
  }

  /**
   * Every shard a reader of {@code hour} must read, for the shard counts its meta names ({@link
   * #shardCounts}), each once.
   */
  public List<Shard> readShards(HourBucket hour, java.util.Collection<Integer> counts) {
    java.util.LinkedHashMap<String, Shard> all = new java.util.LinkedHashMap<>();
    for (int count : counts) {
      for (Shard shard : shards(count).all(this)) {
        all.putIfAbsent(shard.base(), shard);
      }
    }
    return List.copyOf(all.values());
  }

  /** True when a meta field is one of the layout's, not a count a report sums. */
  public static boolean isLayoutField(String metaField) {
    return metaField.startsWith(SHARDS_FIELD_PREFIX);
  }

  /** One of an hour's per-key sets in one shard. */
  public String hourly(HourBucket hour, HourlySet set, Shard shard) {
    return shard.base() + "h:" + hour.format() + ":" + set.suffix;
  }

  /** The hour's co-access pairs in one shard (a pair's shard is its member's). */
  public String pairs(HourBucket hour, Shard shard) {
    return shard.base() + "h:" + hour.format() + ":pairs";
  }

  /** The hour's observed TTLs in one shard. */
  public String ttls(HourBucket hour, Shard shard) {
    return shard.base() + "h:" + hour.format() + ":ttl";
  }

  /**
   * The shard's own meta: what the stats Redis trimmed from the shard's sets (the {@code trimmed_*}
   * fields). With one shard it is the hour's {@link #meta}.
   */
  public String meta(HourBucket hour, Shard shard) {
    return shard.base() + "h:" + hour.format() + ":meta";
  }

  /**
   * @throws IllegalArgumentException if the name could break the schema (braces, spaces, colons)
   */
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

  /** One of an hour's per-key sets in the one-shard layout (version 1, or {@code shards=1}). */
  public String hourly(HourBucket hour, HourlySet set) {
    return hourly(hour, set, single);
  }

  public List<String> hourlySets(HourBucket hour) {
    return List.of(
        hourly(hour, HourlySet.HITS),
        hourly(hour, HourlySet.MISSES),
        hourly(hour, HourlySet.WRITES),
        hourly(hour, HourlySet.LOAD_MICROS),
        hourly(hour, HourlySet.LOADS));
  }

  /** The per-key sets of an hour in one shard, in the order a flush writes them. */
  public List<String> hourlySets(HourBucket hour, Shard shard) {
    return List.of(
        hourly(hour, HourlySet.HITS, shard),
        hourly(hour, HourlySet.MISSES, shard),
        hourly(hour, HourlySet.WRITES, shard),
        hourly(hour, HourlySet.LOAD_MICROS, shard),
        hourly(hour, HourlySet.LOADS, shard));
  }

  /**
   * The hour's own counters, under the app's tag: {@link MetaField}s, and the shard counts that
   * wrote to it ({@link #shardsField}). With one shard, also the shard's trimmed counts.
   */
  public String meta(HourBucket hour) {
    return base + "h:" + hour.format() + ":meta";
  }

  /** Pairs of keys read together within the agent's co-access window, per hour. */
  public String pairs(HourBucket hour) {
    return base + "h:" + hour.format() + ":pairs";
  }

  /**
   * The expiry the application last gave each key it wrote or re-expired in the hour (SET EX,
   * SETEX, EXPIRE, PERSIST...), in seconds, {@code -1} for none; for the keys the agent's window
   * summary kept.
   */
  public String ttls(HourBucket hour) {
    return base + "h:" + hour.format() + ":ttl";
  }

  /**
   * Per key pattern, how many writes in the hour set which TTL ({@code
   * dev.keywarm.schema.ttl.TtlHistogram} buckets and fields), for the keys the agent's window
   * summary kept.
   */
  public String ttlPatterns(HourBucket hour) {
    return base + "h:" + hour.format() + ":ttlp";
  }

  /** Points at the newest complete plan generation. */
  public String currentPlan() {
    return base + "plan:current";
  }

  public String planOverall(String generation) {
    return planBase(generation) + "overall";
  }

  /** The plan for one UTC hour of day, 0-23. */
  public String planHour(String generation, int hourOfDay) {
    if (hourOfDay < 0 || hourOfDay > 23) {
      throw new IllegalArgumentException("hour of day must be 0-23: " + hourOfDay);
    }
    return planBase(generation) + "hour:" + (hourOfDay < 10 ? "0" : "") + hourOfDay;
  }

  public String planPairs(String generation) {
    return planBase(generation) + "pairs";
  }

  /**
   * The TTL each planned key is warmed with when its loader gives none: the key's own observed TTL,
   * else its pattern's typical one; ms, -1 for none. A key without a member here has none known.
   */
  public String planTtls(String generation) {
    return planBase(generation) + "ttl";
  }

  public String planMeta(String generation) {
    return planBase(generation) + "meta";
  }

  private String planBase(String generation) {
    if (generation == null || !generation.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("bad plan generation id: " + generation);
    }
    return base + "plan:" + generation + ":";
  }

  /** The lease one instance of a fleet holds while it warms (a string with an expiry). */
  public String warmLease() {
    return base + "warm:lease";
  }

  /** The result record of the last warm run (a hash). */
  public String warmLastResult() {
    return base + "warm:last";
  }

  /** The hot-set snapshot's values: field = cache key, value = {@code SnapshotEntry}. */
  public String snapshotValues() {
    return base + "snap:values";
  }

  /** The snapshot's keys by rank, hottest highest. */
  public String snapshotRank() {
    return base + "snap:rank";
  }

  /** The last write, delete or expiry change of each key any instance saw, epoch ms. */
  public String snapshotInvalidations() {
    return base + "snap:inval";
  }

  /** The snapshot's {@link SnapshotField}s. */
  public String snapshotMeta() {
    return base + "snap:meta";
  }

  /** The lease one instance holds while it keeps the snapshot. */
  public String snapshotLease() {
    return base + "snap:lease";
  }

  /** The lease one instance holds while it runs the standing warm for the fleet. */
  public String standingLease() {
    return base + "standing:lease";
  }

  /**
   * The short-lived claim on one cache key by the instance whose standing warm loads it (binary:
   * the prefix, then the key's raw bytes).
   */
  public byte[] standingClaim(byte[] cacheKey) {
    byte[] prefix = (base + "standing:claim:").getBytes(StandardCharsets.UTF_8);
    byte[] claim = java.util.Arrays.copyOf(prefix, prefix.length + cacheKey.length);
    System.arraycopy(cacheKey, 0, claim, prefix.length, cacheKey.length);
    return claim;
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
