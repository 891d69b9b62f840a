package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.BacktestRow;
import dev.keywarm.analyzer.analysis.AnalysisResult.HourBacktest;
import dev.keywarm.analyzer.read.KeyTable;
import dev.keywarm.analyzer.read.RangeData;
import dev.keywarm.schema.HourBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Measures, rather than assumes, how much of the traffic a plan covers. The most recent hours with
 * data (a quarter of them, at most 24) are held out; the plan is built exactly as the real one but
 * from the other hours only (same ranking, same recency decay), and scored on the held-out hours:
 * coverage(k) = held-out reads of the plan's top k keys ÷ all held-out reads. The oracle is the
 * same share for the held-out hours' own top k — the most any k keys could have covered.
 * Hour-of-day plans are scored the same way, each on the held-out hour with its hour of day,
 * trained on that hour of day's other days (not measurable with one day of data).
 *
 * <p>If the plan's coverage at its k is below {@value #HELPS_LITTLE} the verdict says plainly that
 * warming will help little: traffic is flat, or mostly keys read once, and yesterday's hot keys are
 * not tomorrow's.
 */
final class Backtest {

  static final double HELPS_LITTLE = 0.30;
  private static final long[] KS = {10, 100, 1_000, 10_000, 100_000, 1_000_000};

  private Backtest() {}

  static AnalysisResult.Backtest of(RangeData data, int planK, double shareReadOnce) {
    KeyTable keys = data.keys();
    int n = keys.size();
    List<HourBucket> test = data.heldOutHours();
    if (test.isEmpty()) {
      return new AnalysisResult.Backtest(
          false,
          "not measured: needs at least 2 hours with data",
          0,
          0,
          0,
          List.of(),
          List.of(),
          false,
          "Expected coverage could not be measured: fewer than " + "2 hours with data.");
    }
    double half = data.halfLifeHours();
    long end = data.range().to().epochHour();
    double[] testReads = new double[n];
    double[] trainScore = new double[n];
    double testTotal = 0;
    for (int id = 0; id < n; id++) {
      trainScore[id] = keys.decayedReads(id);
    }
    for (HourBucket h : test) {
      float[] held = keys.heldOut(h.hourOfDay());
      double weight = half > 0 ? Math.pow(0.5, (end - h.epochHour() - 1) / half) : 1.0;
      for (int id = 0; id < n; id++) {
        testReads[id] += held[id];
        // the decayed total minus the held-out hours' share is the training score, up to a constant
        trainScore[id] -= weight * held[id];
        testTotal += held[id];
      }
    }
    for (int id = 0; id < n; id++) {
      trainScore[id] =
          Math.max(0, trainScore[id] < 1e-9 * keys.decayedReads(id) ? 0 : trainScore[id]);
    }
    int trainHours = data.presentHours().size() - test.size();
    TreeSet<Long> ks = new TreeSet<>();
    for (long k : KS) {
      if (k < n) {
        ks.add(k);
      }
    }
    ks.add((long) Math.min(planK, Math.max(1, n)));
    int[] byTrain = Ranking.descending(n, id -> trainScore[id]);
    int[] byTest = Ranking.descending(n, id -> testReads[id]);
    List<BacktestRow> rows = new ArrayList<>();
    for (long k : ks) {
      rows.add(
          new BacktestRow(
              k, share(byTrain, k, testReads, testTotal), share(byTest, k, testReads, testTotal)));
    }
    List<HourBacktest> hourly = new ArrayList<>();
    for (HourBucket h : test) {
      int hod = h.hourOfDay();
      float[] all = keys.hourOfDay(hod);
      float[] held = keys.heldOut(hod);
      double heldTotal = 0;
      boolean trained = false;
      for (int id = 0; id < n; id++) {
        heldTotal += held[id];
        trained |= all[id] - held[id] > 0;
      }
      if (!trained || heldTotal == 0) {
        continue;
      }
      double[] heldD = new double[n];
      for (int id = 0; id < n; id++) {
        heldD[id] = held[id];
      }
      int k = Math.min(planK, n);
      int[] trainTop = Ranking.top(n, k, id -> all[id] - held[id]);
      int[] testTop = Ranking.top(n, k, id -> held[id]);
      hourly.add(
          new HourBacktest(
              hod, k, share(trainTop, k, heldD, heldTotal), share(testTop, k, heldD, heldTotal)));
    }
    double planCoverage =
        rows.stream()
            .filter(r -> r.k() == Math.min(planK, Math.max(1, n)))
            .findFirst()
            .map(BacktestRow::coverage)
            .orElse(0.0);
    long planKeys = Math.min(planK, Math.max(1, n));
    boolean little = planCoverage < HELPS_LITTLE;
    String verdict =
        little
            ? String.format(
                "Warming will help little: a plan of the top %,d keys from earlier hours covered "
                    + "only %.1f%% of the reads in the %d held-out hours (%.0f%% of keys were read only once "
                    + "in the range; traffic is too flat or too new for yesterday's hot keys to matter).",
                planKeys, 100 * planCoverage, test.size(), 100 * shareReadOnce)
            : String.format(
                "A plan of the top %,d keys, built without the last %d hours, covered %.1f%% of "
                    + "their reads.",
                planKeys, test.size(), 100 * planCoverage);
    String note =
        String.format(
            "trained on %d hours, scored on the last %d hours with data, %s..%s",
            trainHours, test.size(), test.get(0), test.get(test.size() - 1).plusHours(1));
    return new AnalysisResult.Backtest(
        true, note, trainHours, test.size(), testTotal, rows, hourly, little, verdict);
  }

  /** Share of {@code total} held by the first k ids of {@code order}. */
  private static double share(int[] order, long k, double[] reads, double total) {
    double s = 0;
    for (int i = 0; i < Math.min(k, order.length); i++) {
      s += reads[order[i]];
    }
    return total == 0 ? 0 : s / total;
  }

  static double planCoverage(AnalysisResult.Backtest b, int planK, int n) {
    long k = Math.min(planK, Math.max(1, n));
    return b.rows().stream()
        .filter(r -> r.k() == k)
        .findFirst()
        .map(BacktestRow::coverage)
        .orElse(Double.NaN);
  }
}
