package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.CoreKey;
import dev.keywarm.analyzer.analysis.AnalysisResult.DayOfWeek;
import dev.keywarm.analyzer.analysis.AnalysisResult.DayTop;
import dev.keywarm.analyzer.analysis.AnalysisResult.HourOfDay;
import dev.keywarm.analyzer.analysis.AnalysisResult.Hourly;
import dev.keywarm.analyzer.analysis.AnalysisResult.RankedKey;
import dev.keywarm.analyzer.analysis.AnalysisResult.SpecificKey;
import dev.keywarm.analyzer.read.KeyTable;
import dev.keywarm.analyzer.read.RangeData;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeyText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hot sets per UTC hour of day, each the reads of that hour summed over the days in range. Every
 * hour with data gets its top {@code setSize} keys. A key in the top set of at least 3/4 of those
 * hours is <em>core</em> (warm it whatever the hour); a key in the top sets of at most 1/4 of them
 * (and at least one) is <em>hour-specific</em> there, ranked by lift: the share of the key's reads
 * that fall in the hour divided by the hour's share of all reads (1 = no preference for the hour);
 * listed only at lift ≥ {@value #MIN_SPECIFIC_LIFT} and only for hours seen on at least two days.
 * Per day of week the same top sets are given only when every weekday occurs at least twice in the
 * range, since one day per weekday cannot tell a weekday from a date.
 */
final class HourlyHotSets {

  /**
   * A key whose share of reads in an hour is under twice the hour's share is not specific to it.
   */
  static final double MIN_SPECIFIC_LIFT = 2.0;

  private static final String[] DAYS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };

  private HourlyHotSets() {}

  static Hourly of(RangeData data, double totalReads, int setSize, int rows) {
    KeyTable keys = data.keys();
    int n = keys.size();
    int[] daysPerHour = new int[24];
    for (HourBucket h : data.presentHours()) {
      daysPerHour[h.hourOfDay()]++;
    }
    int[][] tops = new int[24][];
    int[] hoursInTop = new int[n];
    int hoursWithData = 0;
    for (int h = 0; h < 24; h++) {
      float[] reads = keys.hourOfDay(h);
      if (reads == null || daysPerHour[h] == 0) {
        continue;
      }
      hoursWithData++;
      tops[h] = Ranking.top(n, setSize, id -> reads[id]);
      for (int id : tops[h]) {
        hoursInTop[id]++;
      }
    }
    int coreMin = Math.max(1, (int) Math.ceil(0.75 * hoursWithData));
    int specificMax = Math.max(1, hoursWithData / 4);
    List<HourOfDay> hours = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      if (tops[h] == null) {
        continue;
      }
      float[] reads = keys.hourOfDay(h);
      double hourReads = 0;
      for (int id = 0; id < n; id++) {
        hourReads += reads[id];
      }
      double hourShare = hourReads / totalReads;
      List<RankedKey> top = new ArrayList<>();
      for (int i = 0; i < Math.min(rows, tops[h].length); i++) {
        top.add(new RankedKey(KeyText.display(keys.key(tops[h][i])), reads[tops[h][i]]));
      }
      List<SpecificKey> specific = new ArrayList<>();
      // with one day per hour, any key read only then looks hour-specific: chance, not a rhythm
      if (hoursWithData >= 4 && daysPerHour[h] >= 2) {
        for (int id : tops[h]) {
          double keyShare = reads[id] / keys.reads(id);
          if (hoursInTop[id] <= specificMax && keyShare / hourShare >= MIN_SPECIFIC_LIFT) {
            specific.add(
                new SpecificKey(
                    KeyText.display(keys.key(id)),
                    reads[id],
                    keyShare,
                    keyShare / hourShare,
                    hoursInTop[id]));
          }
        }
        specific.sort(
            Comparator.comparingDouble(SpecificKey::lift)
                .reversed()
                .thenComparing(Comparator.comparingDouble(SpecificKey::reads).reversed()));
        if (specific.size() > rows) {
          specific = new ArrayList<>(specific.subList(0, rows));
        }
      }
      hours.add(new HourOfDay(h, daysPerHour[h], hourReads, top, specific));
    }
    List<CoreKey> core = new ArrayList<>();
    if (hoursWithData >= 4) {
      int[] coreIds = Ranking.descending(n, id -> hoursInTop[id] >= coreMin ? keys.reads(id) : 0);
      for (int i = 0; i < Math.min(rows, coreIds.length); i++) {
        core.add(
            new CoreKey(
                KeyText.display(keys.key(coreIds[i])),
                keys.reads(coreIds[i]),
                hoursInTop[coreIds[i]]));
      }
    }
    int singleDay = 0;
    for (HourOfDay h : hours) {
      singleDay += h.days() < 2 ? 1 : 0;
    }
    String note =
        hoursWithData < 4
            ? "core and hour-specific keys need at least 4 hours of day with data"
            : singleDay == 0
                ? ""
                : singleDay
                    + " of "
                    + hours.size()
                    + " hours of day were seen on one day only: "
                    + "hour-specific keys are listed only for hours seen on at least two days";
    return new Hourly(setSize, coreMin, specificMax, hours, core, dayOfWeek(data, rows), note);
  }

  private static DayOfWeek dayOfWeek(RangeData data, int rows) {
    int[] dates = new int[7];
    Set<Long> seen = new HashSet<>();
    for (HourBucket h : data.presentHours()) {
      long date = Math.floorDiv(h.epochHour(), 24L);
      if (seen.add(date)) {
        dates[(int) Math.floorMod(date + 3, 7L)]++;
      }
    }
    for (int d : dates) {
      if (d < 2) {
        return new DayOfWeek(
            false,
            "not shown: needs every weekday at least twice in the range "
                + "(at least 14 days with data)",
            List.of());
      }
    }
    KeyTable keys = data.keys();
    List<DayTop> days = new ArrayList<>();
    for (int d = 0; d < 7; d++) {
      float[] reads = keys.dayOfWeek(d);
      double total = 0;
      for (int id = 0; id < keys.size(); id++) {
        total += reads[id];
      }
      List<RankedKey> top = new ArrayList<>();
      for (int id : Ranking.top(keys.size(), rows, id -> reads[id])) {
        top.add(new RankedKey(KeyText.display(keys.key(id)), reads[id]));
      }
      days.add(new DayTop(d, DAYS[d], total, top));
    }
    return new DayOfWeek(
        true, "per weekday over " + data.presentHours().size() / 24 + "+ days", days);
  }
}
