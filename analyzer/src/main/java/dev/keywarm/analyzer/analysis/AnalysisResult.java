package dev.keywarm.analyzer.analysis;

import java.util.List;
import java.util.Map;

/**
 * The whole analysis of one app over one range, as plain records: the JSON report is this tree
 * serialised as it is (schema {@value #SCHEMA} version {@value #SCHEMA_VERSION}, documented in
 * analyzer/README.md), and the HTML and text reports render it. Add fields freely; renaming or
 * removing one, or changing its meaning, bumps {@link #SCHEMA_VERSION}.
 */
public record AnalysisResult(
    String schema,
    int schemaVersion,
    String generatedAt,
    String app,
    Range range,
    Totals totals,
    Zipf zipf,
    Coverage coverage,
    HotSet hotSet,
    Hourly hourly,
    Pairs pairs,
    Patterns patterns,
    Backtest backtest,
    PlanInfo plan,
    List<String> notes) {

  public static final String SCHEMA = "keywarm-analysis";
  public static final int SCHEMA_VERSION = 1;

  /**
   * Hours are UTC {@code yyyyMMddHH}; {@code to} is exclusive. partialHours: hours read while
   * agents were still writing them (the current hour, with {@code --include-current-hour}).
   */
  public record Range(
      String from,
      String to,
      int hours,
      int hoursWithData,
      List<String> missingHours,
      List<String> heldOutHours,
      Double halfLifeHours,
      List<String> partialHours) {}

  public record Totals(
      double reads,
      double hits,
      double misses,
      Double hitRatio,
      int distinctKeys,
      int keysReadOnce,
      double shareOfKeysReadOnce,
      double loadsTimed,
      Map<String, Long> meta,
      Losses losses) {}

  /**
   * Reads the agent saw that no key's count holds, from the meta counters. seenReads = recorded
   * reads + droppedReads + trimmedReads + notRecordedReads. droppedReads: evicted from the agent's
   * bounded summary (counted, but not attributed to a key). trimmedReads: the counts of the coldest
   * keys the stats Redis trimmed from hours past the agent's hourkeys cap (counted, no longer
   * attributed); trimmedReadMembers: the members removed from hits and misses (a key can be both).
   * trimmedWrites, trimmedLoads, trimmedPairs (co-reads of trimmedPairMembers pairs) and
   * trimmedTtlKeys: the same for the other capped sets. notRecordedReads = bufferFullReads (lost to
   * a full recording buffer) + unwrittenReads (counted, never written to the stats Redis: a backlog
   * trimmed during an outage, or a shutdown flush out of time). unclassifiedLostEvents: calls lost
   * to a full buffer not known to be reads (writes, or an agent that did not count lost_reads).
   * notRecordedShare = notRecordedReads ÷ seenReads; notRecordedShareAtMost counts the unclassified
   * calls as reads too.
   */
  public record Losses(
      double seenReads,
      long droppedReads,
      long notRecordedReads,
      long bufferFullReads,
      long unwrittenReads,
      long unwrittenWrites,
      long trimmedReads,
      long trimmedReadMembers,
      long trimmedWrites,
      long trimmedLoads,
      long trimmedPairs,
      long trimmedPairMembers,
      long trimmedTtlKeys,
      long unclassifiedLostEvents,
      double notRecordedShare,
      double notRecordedShareAtMost) {}

  /**
   * alpha: MLE exponent; zipfLike: R² high enough for α to describe the curve; fit: that judgement
   * in words; points: log-spaced ranks with observed reads and the fitted line.
   */
  public record Zipf(
      String method,
      double alpha,
      double r2,
      boolean zipfLike,
      String fit,
      double alphaLeastSquares,
      double r2LeastSquares,
      double alphaLeastSquaresAllRanks,
      int rankFrom,
      int rankTo,
      int keys,
      List<RankPoint> points) {}

  public record RankPoint(long rank, double reads, double fitted) {}

  /**
   * memoryBytes is null unless value sizes were sampled from a cache Redis (memoryNote says which);
   * then it is the mean MEMORY USAGE of {@code sampledKeys} keys spread evenly over ranks 1..k, of
   * which {@code foundKeys} were in the cache, times k.
   */
  public record Coverage(
      List<CoveragePoint> curve, List<CoverageTarget> targets, String memoryNote) {}

  public record CoveragePoint(long k, double share) {}

  public record CoverageTarget(
      double share, long k, Long memoryBytes, int sampledKeys, int foundKeys) {}

  public record HotSet(String rankedBy, Double halfLifeHours, List<HotKey> keys) {}

  /**
   * meanLoadMs and savedMs are null where no load was timed; savedMs = misses × meanLoadMs, the
   * load time the misses cost, i.e. what warming the key before those reads would have saved.
   */
  public record HotKey(
      int rank,
      String key,
      String pattern,
      double reads,
      double score,
      double hits,
      double misses,
      Double hitRatio,
      Double meanLoadMs,
      Double savedMs) {}

  /**
   * Per hour of day (UTC) over the days in range. core: keys in the top {@code setSize} of at least
   * {@code coreMinHours} of the hours with data. specific: keys of an hour's top set that are in
   * the top sets of at most {@code specificMaxHours} hours, with lift ≥ 2 (listed only for hours
   * seen on 2+ days), ordered by lift (share of the key's reads in this hour ÷ the hour's share of
   * all reads).
   */
  public record Hourly(
      int setSize,
      int coreMinHours,
      int specificMaxHours,
      List<HourOfDay> hours,
      List<CoreKey> core,
      DayOfWeek dayOfWeek,
      String note) {}

  public record HourOfDay(
      int hour, int days, double reads, List<RankedKey> top, List<SpecificKey> specific) {}

  public record RankedKey(String key, double reads) {}

  public record SpecificKey(
      String key, double reads, double shareOfKeyReads, double lift, int hoursInTop) {}

  public record CoreKey(String key, double reads, int hoursInTop) {}

  /** Per weekday (0 = Monday) top keys; only when every weekday occurs at least twice in range. */
  public record DayOfWeek(boolean available, String note, List<DayTop> days) {}

  public record DayTop(int day, String name, double reads, List<RankedKey> top) {}

  /**
   * countAB: reads of a followed shortly by a read of b, at most reads(a); support = (countAB +
   * countBA) ÷ all reads; confidenceAB = countAB ÷ reads(a), 0–1; lift = (countAB + countBA) × all
   * reads ÷ (reads(a) × reads(b)). inconsistentPairs: ordered pairs recorded with count(a→b) >
   * reads(a), capped at reads(a) in every measure; capped marks such a pair in top.
   */
  public record Pairs(
      double minSupportCount,
      long hoursWithPairs,
      long skippedMembers,
      long pairsWithoutReads,
      long inconsistentPairs,
      int candidates,
      List<Pair> top) {}

  public record Pair(
      String a,
      String b,
      double count,
      double countAB,
      double countBA,
      double support,
      double confidenceAB,
      double confidenceBA,
      double lift,
      boolean capped) {}

  /**
   * distinctPatterns: patterns of the keys read. top: the most-read of them, then patterns only
   * written (TTLs recorded, no key read: keys and reads 0), most-written first, at most as many
   * again; writtenOnlyPatterns counts all of the latter. heatmap.reads[h][i]: reads in hour of day
   * h of heatmap.patterns[i].
   */
  public record Patterns(
      int distinctPatterns, List<PatternRow> top, Heatmap heatmap, int writtenOnlyPatterns) {}

  /**
   * missCostMs: Σ misses × mean load time over the keys with timed loads; loadKnownShare: share of
   * the pattern's misses on keys with a timed load (the rest are not costed); loadsTimed: loads
   * timed on the pattern's keys (0: neither figure means anything). ttlP50Ms, ttlP90Ms: TTL
   * quantiles over the writes that set one, as bucket lower bounds (two significant digits, never
   * longer than the TTL set); null when no write set one. writesWithoutTtlShare: share of the
   * writes that set none, null when no write was recorded. ttlWrites: writes whose TTL the agent
   * recorded (0: no TTL figure means anything).
   */
  public record PatternRow(
      String pattern,
      int keys,
      double reads,
      double shareOfReads,
      double hits,
      double misses,
      Double hitRatio,
      Double missCostMs,
      double loadKnownShare,
      double loadsTimed,
      Long ttlP50Ms,
      Long ttlP90Ms,
      Double writesWithoutTtlShare,
      long ttlWrites) {}

  public record Heatmap(List<String> patterns, double[][] reads) {}

  /**
   * The plan built from the training hours, scored on the held-out hours. coverage: share of the
   * held-out reads that went to the plan's keys; oracle: share the held-out hours' own top k would
   * get; hourly: the same for each hour-of-day plan on its held-out hour.
   */
  public record Backtest(
      boolean measured,
      String note,
      int trainHours,
      int testHours,
      double testReads,
      List<BacktestRow> rows,
      List<HourBacktest> hourly,
      boolean helpsLittle,
      String verdict) {}

  public record BacktestRow(long k, double coverage, double oracle) {}

  public record HourBacktest(int hour, long k, double coverage, double oracle) {}

  /**
   * What was (or would be) written for the warm-runner. generation is null when not written. ttls:
   * planned keys (overall and hour plans) with a TTL to warm them with, their own or their
   * pattern's.
   */
  public record PlanInfo(
      String generation,
      int k,
      Double expectedCoverage,
      int overallKeys,
      int hourPlans,
      int pairs,
      long expiresInSeconds,
      int ttls) {}
}
