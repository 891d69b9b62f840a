package dev.keywarm.analyzer.read;

import dev.keywarm.analyzer.HourlyWrites;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.PairMember;
import dev.keywarm.schema.ttl.TtlHistogram;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hourly sets of one app kept in memory, and the {@link RangeData} that {@link
 * HourlyStatsReader} reads from them: for unit tests of the analysis and the reports, which need no
 * Redis. Recording is call for call what {@code AgentWrites} sends (ZINCRBY of a member's score,
 * HINCRBY / HSET of a meta field, ZADD of a key's TTL, HINCRBY of a TTL histogram field); {@link
 * #build} replays the reader's fold over the same sets in the same order, so the same calls give
 * the same key ids, the same sums to the last bit and the same analysis ({@code RangeDataBuilderIT}
 * checks it against a real server).
 *
 * <p>The order the reader folds in, which decides key ids (and so the order of keys whose scores
 * tie): hours oldest first (it pages the complete ones, then scans those still being written, which
 * are always the newest); within an hour hits, misses, load micros, loads, pairs; within a set by
 * rank, as {@code ZRANGE} returns it (score ascending, then member bytes, unsigned). {@code ZSCAN}
 * returns a small set (listpack-encoded: ≤ 128 members of ≤ 64 bytes) in rank order too, but a
 * larger one in hash order: for such a set in an hour being written the builder's sums are the
 * reader's, its ids may not be.
 */
public final class RangeDataBuilder implements HourlyWrites {

  /** The sets of one hour, in the reader's fold order. */
  private enum Kind {
    HITS,
    MISSES,
    LOAD_MICROS,
    LOADS,
    PAIRS
  }

  private static final Comparator<Map.Entry<Member, Double>> BY_RANK =
      Comparator.<Map.Entry<Member, Double>>comparingDouble(Map.Entry::getValue)
          .thenComparing(Map.Entry::getKey);

  private final String app;
  private final Map<HourBucket, Hour> hours = new HashMap<>();

  public RangeDataBuilder(String app) {
    this.app = KeySchema.forApp(app).app();
  }

  public String app() {
    return app;
  }

  @Override
  public RangeDataBuilder hits(HourBucket hour, String key, double count) {
    return zincr(hour, Kind.HITS, bytes(key), count);
  }

  @Override
  public RangeDataBuilder hits(HourBucket hour, byte[] key, double count) {
    return zincr(hour, Kind.HITS, key, count);
  }

  @Override
  public RangeDataBuilder misses(HourBucket hour, String key, double count) {
    return zincr(hour, Kind.MISSES, bytes(key), count);
  }

  @Override
  public RangeDataBuilder misses(HourBucket hour, byte[] key, double count) {
    return zincr(hour, Kind.MISSES, key, count);
  }

  @Override
  public RangeDataBuilder loads(HourBucket hour, String key, double loads, double microsEach) {
    zincr(hour, Kind.LOADS, bytes(key), loads);
    return zincr(hour, Kind.LOAD_MICROS, bytes(key), loads * microsEach);
  }

  @Override
  public RangeDataBuilder pair(HourBucket hour, String first, String second, double count) {
    return zincr(hour, Kind.PAIRS, PairMember.encode(bytes(first), bytes(second)), count);
  }

  @Override
  public RangeDataBuilder rawPairMember(HourBucket hour, byte[] member, double count) {
    return zincr(hour, Kind.PAIRS, member, count);
  }

  /** HINCRBY: like Redis, refuses a field whose value is not an integer. */
  @Override
  public RangeDataBuilder meta(HourBucket hour, KeySchema.MetaField field, long count) {
    Map<String, String> meta = hour(hour).meta;
    String before = meta.getOrDefault(field.field(), "0");
    long value;
    try {
      value = Long.parseLong(before);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("hash value is not an integer: " + field.field(), e);
    }
    meta.put(field.field(), Long.toString(Math.addExact(value, count)));
    return this;
  }

  @Override
  public RangeDataBuilder hset(HourBucket hour, String... fieldsAndValues) {
    if (fieldsAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("fields and values come in pairs");
    }
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      hour(hour).meta.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
    }
    return this;
  }

  @Override
  public RangeDataBuilder ttl(HourBucket hour, String key, double seconds) {
    hour(hour).ttls.put(new Member(bytes(key)), seconds);
    return this;
  }

  /** HINCRBY of a histogram field (a count is an integer, so the value stays one). */
  @Override
  public RangeDataBuilder ttlWrites(
      HourBucket hour, String pattern, long bucketMillis, long writes) {
    if (writes > 0) {
      hour(hour)
          .ttlPatterns
          .merge(
              TtlHistogram.field(pattern, bucketMillis),
              Long.toString(writes),
              (a, b) -> Long.toString(Math.addExact(Long.parseLong(a), Long.parseLong(b))));
    }
    return this;
  }

  /** What {@link HourlyTtlReader} looks up in Redis: the newest hour in range with the key wins. */
  public KeyTtls keyTtls() {
    return (range, keys) -> {
      List<HourBucket> newestFirst = new ArrayList<>(range.list());
      Collections.reverse(newestFirst);
      double[] millis = new double[keys.size()];
      for (int i = 0; i < keys.size(); i++) {
        millis[i] = Double.NaN;
        Member key = new Member(keys.get(i));
        for (HourBucket hour : newestFirst) {
          Double seconds = hours.getOrDefault(hour, Hour.EMPTY).ttls.get(key);
          if (seconds != null) {
            millis[i] = KeyTtls.millisOf(seconds);
            break;
          }
        }
      }
      return millis;
    };
  }

  /**
   * What {@link HourlyStatsReader#read(HourRange, double)} returns: the current UTC hour, by the
   * system clock, is the first one still being written.
   */
  public RangeData build(HourRange range, double halfLifeHours) {
    return build(range, halfLifeHours, HourBucket.of(Instant.now()));
  }

  /** What {@link HourlyStatsReader#read(HourRange, double, HourBucket)} returns. */
  public RangeData build(HourRange range, double halfLifeHours, HourBucket current) {
    List<HourBucket> present = new ArrayList<>();
    List<HourBucket> missing = new ArrayList<>();
    Map<String, Long> meta = new TreeMap<>();
    PatternTtls ttls = new PatternTtls();
    long pairHours = 0;
    for (HourBucket hour : range.list()) {
      Hour h = hours.getOrDefault(hour, Hour.EMPTY);
      (h.reads() > 0 ? present : missing).add(hour);
      h.meta.forEach((field, value) -> meta.merge(field, parseLong(value), Long::sum));
      ttls.add(h.ttlPatterns);
      pairHours += h.sets.get(Kind.PAIRS).isEmpty() ? 0 : 1;
    }
    List<HourBucket> heldOut = HourlyStatsReader.heldOut(present);

    KeyTable keys = new KeyTable();
    PairCounts pairs = new PairCounts();
    long[] skippedPairs = {0};
    List<HourBucket> partial = new ArrayList<>();
    for (HourBucket hour : range.list()) {
      fold(hour, range, halfLifeHours, heldOut, keys, pairs, skippedPairs);
      if (HourRange.isBeingWritten(hour, current)
          && hours.getOrDefault(hour, Hour.EMPTY).reads() > 0) {
        partial.add(hour);
      }
    }
    return new RangeData(
        app,
        range,
        keys,
        pairs,
        meta,
        present,
        missing,
        List.copyOf(heldOut),
        halfLifeHours,
        skippedPairs[0],
        pairHours,
        partial,
        ttls);
  }

  private void fold(
      HourBucket hour,
      HourRange range,
      double halfLifeHours,
      List<HourBucket> heldOut,
      KeyTable keys,
      PairCounts pairs,
      long[] skippedPairs) {
    Hour h = hours.get(hour);
    if (h == null) {
      return;
    }
    double weight =
        halfLifeHours > 0
            ? Math.pow(0.5, (range.to().epochHour() - hour.epochHour() - 1) / halfLifeHours)
            : 1.0;
    int hourOfDay = hour.hourOfDay();
    int dayOfWeek = HourlyStatsReader.dayOfWeek(hour);
    boolean held = heldOut.contains(hour);
    for (Kind kind : Kind.values()) {
      for (Map.Entry<Member, Double> e : byRank(h.sets.get(kind))) {
        byte[] member = e.getKey().bytes.clone(); // KeyTable keeps the array it is given
        double score = e.getValue();
        switch (kind) {
          case HITS, MISSES ->
              keys.addReads(
                  keys.idOf(member), score, kind == Kind.HITS, weight, hourOfDay, dayOfWeek, held);
          case LOAD_MICROS -> keys.addLoadMicros(keys.idOf(member), score);
          case LOADS -> keys.addLoads(keys.idOf(member), score);
          case PAIRS -> {
            byte[][] pair;
            try {
              pair = PairMember.decode(member);
            } catch (IllegalArgumentException notAPair) {
              skippedPairs[0]++;
              continue;
            }
            int a = keys.idOf(pair[0]);
            int b = keys.idOf(pair[1]);
            pairs.add(a, b, score);
          }
        }
      }
    }
  }

  private static List<Map.Entry<Member, Double>> byRank(Map<Member, Double> set) {
    List<Map.Entry<Member, Double>> members = new ArrayList<>(set.entrySet());
    members.sort(BY_RANK);
    return members;
  }

  /** ZINCRBY, sent only for a positive count as the agent does. */
  private RangeDataBuilder zincr(HourBucket hour, Kind kind, byte[] member, double count) {
    if (count > 0) {
      hour(hour).sets.get(kind).merge(new Member(member.clone()), count, Double::sum);
    }
    return this;
  }

  private Hour hour(HourBucket hour) {
    return hours.computeIfAbsent(hour, h -> new Hour());
  }

  /** HourlyStatsReader's reading of a meta value: a non-integer counts 0. */
  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * One hour's five sorted sets (member → score), its meta hash, its ttl set and its
   * TTL-per-pattern hash.
   */
  private static final class Hour {
    static final Hour EMPTY = new Hour();

    final Map<Kind, Map<Member, Double>> sets = new EnumMap<>(Kind.class);
    final Map<String, String> meta = new LinkedHashMap<>();
    final Map<Member, Double> ttls = new HashMap<>();
    final Map<String, String> ttlPatterns = new LinkedHashMap<>();

    Hour() {
      for (Kind kind : Kind.values()) {
        sets.put(kind, new HashMap<>());
      }
    }

    /** The reader's test for an hour with data: its hits or its misses set is not empty. */
    long reads() {
      return sets.get(Kind.HITS).size() + sets.get(Kind.MISSES).size();
    }
  }

  /** A sorted-set member: its bytes, equal by content, ordered as Redis orders ties (memcmp). */
  private static final class Member implements Comparable<Member> {
    final byte[] bytes;

    Member(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Member m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Member other) {
      return Arrays.compareUnsigned(bytes, other.bytes);
    }
  }
}
