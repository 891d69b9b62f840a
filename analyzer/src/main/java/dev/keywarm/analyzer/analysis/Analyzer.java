package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.Range;
import dev.keywarm.analyzer.analysis.AnalysisResult.Totals;
import dev.keywarm.analyzer.read.KeyTable;
import dev.keywarm.analyzer.read.KeyTtls;
import dev.keywarm.analyzer.read.RangeData;
import dev.keywarm.analyzer.read.ValueSizes;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.schema.KeySchema.PlanField;
import dev.keywarm.schema.plan.PlanMeta;
import dev.keywarm.schema.plan.WarmPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every analysis over what {@code HourlyStatsReader} read and builds the matching warm plan.
 * The library entry point; the CLI and the reports are thin layers over it.
 */
public final class Analyzer {

  static final int VALUE_SAMPLES = 1_000;

  private final AnalysisOptions options;
  private final ValueSizes valueSizes;
  private final KeyTtls keyTtls;

  public Analyzer(AnalysisOptions options) {
    this(options, null);
  }

  /**
   * @param valueSizes where to sample value sizes for the coverage targets' memory, or null
   */
  public Analyzer(AnalysisOptions options, ValueSizes valueSizes) {
    this(options, valueSizes, null);
  }

  /**
   * @param keyTtls where to look up the planned keys' own TTLs, or null: then a planned key gets
   *     its pattern's TTL only
   */
  public Analyzer(AnalysisOptions options, ValueSizes valueSizes, KeyTtls keyTtls) {
    this.options = options;
    this.valueSizes = valueSizes;
    this.keyTtls = keyTtls;
  }

  /**
   * @throws NoDataException if no hour in range has reads
   */
  public Analysis analyze(RangeData data, Instant now) {
    if (data.isEmpty()) {
      throw new NoDataException(
          "no reads recorded for app '"
              + data.app()
              + "' in "
              + data.range()
              + " (UTC hours, end exclusive): is the agent running with app="
              + data.app()
              + " and writing to this Redis?");
    }
    KeyTable keys = data.keys();
    int n = keys.size();
    int[] byReads = Ranking.descending(n, keys::reads);
    double[] sortedReads = new double[byReads.length];
    double total = 0;
    double hits = 0;
    double loads = 0;
    int readOnce = 0;
    for (int i = 0; i < byReads.length; i++) {
      int id = byReads[i];
      sortedReads[i] = keys.reads(id);
      total += sortedReads[i];
      hits += keys.hits(id);
      readOnce += sortedReads[i] == 1 ? 1 : 0;
    }
    for (int id = 0; id < n; id++) {
      loads += keys.loads(id);
    }
    int distinct = byReads.length;
    double shareOnce = distinct == 0 ? 0 : (double) readOnce / distinct;
    int[] byScore = data.halfLifeHours() > 0 ? Ranking.descending(n, keys::decayedReads) : byReads;

    List<String> notes = new ArrayList<>();
    Range range = range(data, notes);
    AnalysisResult.Losses losses = ReadLosses.of(data.meta(), total);
    Totals totals =
        new Totals(
            total,
            hits,
            total - hits,
            total > 0 ? hits / total : null,
            distinct,
            readOnce,
            shareOnce,
            loads,
            data.meta(),
            losses);
    notes.addAll(ReadLosses.notes(losses));
    truncationNote(data.meta(), notes);
    AnalysisResult.Backtest backtest = Backtest.of(data, options.planK(), shareOnce);
    CorrelatedPairs.Result pairs =
        CorrelatedPairs.of(
            keys,
            data.pairs(),
            total,
            options.minPairSupport(),
            options.rows(),
            options.planPairs(),
            data.pairHours(),
            data.skippedPairMembers());
    if (data.pairHours() == 0) {
      notes.add("no co-access pairs recorded in range (the agent's pair recording may be off)");
    }
    if (pairs.pairs().inconsistentPairs() > 0) {
      notes.add(
          "ordered pairs (a, b) recorded more often than a was read: "
              + pairs.pairs().inconsistentPairs()
              + " (an agent that counts each read of a at most once per b "
              + "cannot record that: the data comes from an older agent, or reads of a were evicted from "
              + "its bounded summary); capped at reads(a) in support, confidence, lift and the plan");
    }
    if (data.skippedPairMembers() > 0) {
      notes.add(
          data.skippedPairMembers()
              + " pairs members were not valid pair encodings and were "
              + "skipped");
    }
    AnalysisResult.Coverage coverage = CoverageCurve.of(sortedReads);
    if (valueSizes == null) {
      notes.add("memory for the top-k keys: " + CoverageCurve.MEMORY_NOTE);
    } else {
      coverage = CoverageCurve.withMemory(coverage, byReads, keys::key, valueSizes, VALUE_SAMPLES);
    }

    WarmPlan plan = plan(data, byScore, pairs.planEntries(), backtest, now);
    double expected = Backtest.planCoverage(backtest, options.planK(), n);
    AnalysisResult.PlanInfo planInfo =
        new AnalysisResult.PlanInfo(
            null,
            options.planK(),
            Double.isNaN(expected) ? null : expected,
            plan.overall().size(),
            (int) plan.hours().stream().filter(h -> !h.isEmpty()).count(),
            plan.pairs().size(),
            0,
            plan.ttls().size());
    AnalysisResult result =
        new AnalysisResult(
            AnalysisResult.SCHEMA,
            AnalysisResult.SCHEMA_VERSION,
            now.toString(),
            data.app(),
            range,
            totals,
            ZipfFit.fit(sortedReads),
            coverage,
            HotSetRanking.of(keys, byScore, data.halfLifeHours(), options.rows()),
            HourlyHotSets.of(data, total, options.hourSetSize(), Math.min(10, options.rows())),
            pairs.pairs(),
            PatternGroups.of(keys, total, options.rows(), data.patternTtls()),
            backtest,
            planInfo,
            notes);
    return new Analysis(result, plan);
  }

  private WarmPlan plan(
      RangeData data,
      int[] byScore,
      List<WarmPlan.Entry> pairs,
      AnalysisResult.Backtest backtest,
      Instant now) {
    KeyTable keys = data.keys();
    int n = keys.size();
    // every key of the overall and hour plans once, in plan order: the keys that need a TTL
    BitSet planned = new BitSet(n);
    List<byte[]> plannedKeys = new ArrayList<>();
    List<WarmPlan.Entry> overall = new ArrayList<>();
    for (int i = 0; i < Math.min(options.planK(), byScore.length); i++) {
      int id = byScore[i];
      overall.add(new WarmPlan.Entry(keys.key(id), keys.decayedReads(id)));
      planned(id, keys, planned, plannedKeys);
    }
    int[] days = new int[24];
    for (HourBucket h : data.presentHours()) {
      days[h.hourOfDay()]++;
    }
    List<List<WarmPlan.Entry>> hours = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      float[] reads = keys.hourOfDay(h);
      List<WarmPlan.Entry> entries = new ArrayList<>();
      if (reads != null && days[h] > 0) {
        int d = days[h];
        // score: mean reads in that hour per day with data, the expected reads of the next such
        // hour
        for (int id : Ranking.top(n, options.planK(), id -> reads[id])) {
          entries.add(new WarmPlan.Entry(keys.key(id), reads[id] / (double) d));
          planned(id, keys, planned, plannedKeys);
        }
      }
      hours.add(entries);
    }
    double expected = Backtest.planCoverage(backtest, options.planK(), Math.max(1, n));
    Map<Integer, Double> hourly = new LinkedHashMap<>();
    backtest.hourly().forEach(hb -> hourly.put(hb.hour(), hb.coverage()));
    PlanMeta meta =
        PlanMeta.EMPTY
            .with(PlanField.GENERATED_AT, now.toString())
            .with(PlanField.APP, data.app())
            .with(PlanField.RANGE_FROM, data.range().from().format())
            .with(PlanField.RANGE_TO, data.range().to().format())
            .with(PlanField.K, options.planK())
            .with(PlanField.EXPECTED_COVERAGE, backtest.measured() ? expected : Double.NaN)
            .withHourly(PlanField.EXPECTED_COVERAGE_HOURLY, hourly)
            .with(PlanField.BACKTEST, backtest.note())
            .with(PlanField.HELPS_LITTLE, backtest.helpsLittle())
            .with(PlanField.OVERALL_KEYS, overall.size())
            .with(PlanField.PAIRS, pairs.size())
            .with(
                PlanField.RANKED_BY,
                data.halfLifeHours() > 0
                    ? "reads decayed with half-life " + data.halfLifeHours() + "h"
                    : "reads")
            .with(PlanField.SCHEMA_VERSION, AnalysisResult.SCHEMA_VERSION);
    double[] own = keyTtls == null ? null : keyTtls.millis(data.range(), plannedKeys);
    List<WarmPlan.Entry> ttls = PlanTtls.of(plannedKeys, own, data.patternTtls());
    return new WarmPlan(overall, hours, pairs, meta, ttls);
  }

  private static void planned(int id, KeyTable keys, BitSet planned, List<byte[]> plannedKeys) {
    if (!planned.get(id)) {
      planned.set(id);
      plannedKeys.add(keys.key(id));
    }
  }

  private static Range range(RangeData data, List<String> notes) {
    List<String> missing = new ArrayList<>();
    List<HourBucket> m = data.missingHours();
    for (int i = 0; i < m.size(); ) {
      int j = i;
      while (j + 1 < m.size() && m.get(j + 1).epochHour() == m.get(j).epochHour() + 1) {
        j++;
      }
      missing.add(i == j ? m.get(i).format() : m.get(i) + ".." + m.get(j));
      i = j + 1;
    }
    if (!m.isEmpty()) {
      notes.add(
          m.size()
              + " of "
              + data.range().hours()
              + " hours have no data and were analysed as "
              + "zero traffic: "
              + String.join(", ", missing.subList(0, Math.min(8, missing.size())))
              + (missing.size() > 8 ? ", …" : ""));
    }
    List<String> heldOut = new ArrayList<>();
    data.heldOutHours().forEach(h -> heldOut.add(h.format()));
    List<String> partial = new ArrayList<>();
    data.partialHours().forEach(h -> partial.add(h.format()));
    if (!partial.isEmpty()) {
      notes.add(
          "read while agents were still writing it: "
              + String.join(", ", partial)
              + " (each "
              + "count as of a moment during the read; a partial hour weighs less than a complete one in "
              + "the hour-of-day plans and the backtest)");
    }
    return new Range(
        data.range().from().format(),
        data.range().to().format(),
        data.range().hours(),
        data.presentHours().size(),
        missing,
        heldOut,
        data.halfLifeHours() > 0 ? data.halfLifeHours() : null,
        partial);
  }

  private static void truncationNote(Map<String, Long> meta, List<String> notes) {
    long truncated = meta.getOrDefault(MetaField.TRUNCATED_KEYS.field(), 0L);
    if (truncated > 0) {
      notes.add(
          String.format(
              "%,d key occurrences were longer than 512 bytes and stored truncated "
                  + "with a hash suffix",
              truncated));
    }
  }
}
