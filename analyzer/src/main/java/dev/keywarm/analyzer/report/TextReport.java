package dev.keywarm.analyzer.report;

import dev.keywarm.analyzer.analysis.AnalysisResult;
import dev.keywarm.analyzer.analysis.AnalysisResult.BacktestRow;
import dev.keywarm.analyzer.analysis.AnalysisResult.CoverageTarget;
import dev.keywarm.analyzer.analysis.AnalysisResult.HotKey;
import dev.keywarm.analyzer.analysis.AnalysisResult.HourOfDay;
import dev.keywarm.analyzer.analysis.AnalysisResult.Pair;
import dev.keywarm.analyzer.analysis.AnalysisResult.PatternRow;
import java.util.ArrayList;
import java.util.List;

/** A plain-text summary for a terminal: every section, in fixed-width tables, no colour. */
public final class TextReport {

  private static final int KEY_WIDTH = 44;

  private TextReport() {}

  public static String render(AnalysisResult r) {
    StringBuilder s = new StringBuilder();
    s.append("keywarm analysis — app ").append(r.app()).append(", UTC hours ").append(r.range().from())
        .append(" .. ").append(r.range().to()).append(" (").append(r.range().hoursWithData()).append(" of ")
        .append(r.range().hours()).append(" hours with data)\n\n");
    var t = r.totals();
    s.append(String.format("reads %s  hits %s  misses %s  hit ratio %s  keys %s  read once %s%n",
        Fmt.count(t.reads()), Fmt.count(t.hits()), Fmt.count(t.misses()), Fmt.pct(t.hitRatio()),
        Fmt.count(t.distinctKeys()), Fmt.pct(t.shareOfKeysReadOnce())));
    section(s, "Expected coverage (backtest)");
    s.append(r.backtest().verdict()).append('\n');
    if (r.backtest().measured()) {
      s.append("(").append(r.backtest().note()).append(")\n");
      Table table = new Table("k", "plan covers", "best possible");
      for (BacktestRow row : r.backtest().rows()) {
        table.row(Fmt.count(row.k()), Fmt.pct(row.coverage()), Fmt.pct(row.oracle()));
      }
      table.render(s);
    }
    section(s, "Zipf");
    var z = r.zipf();
    s.append(String.format("alpha %s (R² %s) over ranks %d..%d of %s keys; least squares: %s on the "
            + "same ranks, %s on all ranks%n%s%n", Fmt.num(z.alpha(), 3), Fmt.num(z.r2(), 3), z.rankFrom(),
        z.rankTo(), Fmt.count(z.keys()), Fmt.num(z.alphaLeastSquares(), 3),
        Fmt.num(z.alphaLeastSquaresAllRanks(), 3), z.method()));
    section(s, "Coverage: keys needed for a share of reads");
    Table cov = new Table("share", "keys", "memory");
    for (CoverageTarget c : r.coverage().targets()) {
      cov.row(Fmt.pct(c.share()), Fmt.count(c.k()), Fmt.bytes(c.memoryBytes()));
    }
    cov.render(s);
    s.append("memory: ").append(r.coverage().memoryNote()).append('\n');
    section(s, "Hot keys (by " + r.hotSet().rankedBy() + ")");
    Table hot = new Table("#", "key", "reads", "hit ratio", "misses", "mean load", "saved by warming");
    for (HotKey k : r.hotSet().keys()) {
      hot.row(Integer.toString(k.rank()), Fmt.clip(k.key(), KEY_WIDTH), Fmt.count(k.reads()),
          Fmt.pct(k.hitRatio()), Fmt.count(k.misses()), Fmt.ms(k.meanLoadMs()), Fmt.ms(k.savedMs()));
    }
    hot.render(s);
    section(s, "Hours of day (UTC)");
    Table hours = new Table("hour", "days", "reads", "top key", "most hour-specific key", "lift");
    for (HourOfDay h : r.hourly().hours()) {
      hours.row(String.format("%02d", h.hour()), Integer.toString(h.days()), Fmt.count(h.reads()),
          h.top().isEmpty() ? "" : Fmt.clip(h.top().get(0).key(), 30),
          h.specific().isEmpty() ? "" : Fmt.clip(h.specific().get(0).key(), 30),
          h.specific().isEmpty() ? "" : Fmt.ratio(h.specific().get(0).lift()));
    }
    hours.render(s);
    List<String> core = new ArrayList<>();
    r.hourly().core().forEach(c -> core.add(c.key()));
    s.append("core (top ").append(r.hourly().setSize()).append(" in ≥ ").append(r.hourly().coreMinHours())
        .append(" hours): ").append(core.isEmpty() ? "none" : Fmt.clip(String.join(", ", core), 400)).append('\n');
    if (!r.hourly().note().isEmpty()) {
      s.append("note: ").append(r.hourly().note()).append('\n');
    }
    s.append("day of week: ").append(r.hourly().dayOfWeek().note()).append('\n');
    section(s, "Pairs read together (by lift, support ≥ " + Fmt.count(r.pairs().minSupportCount()) + ")");
    if (r.pairs().top().isEmpty()) {
      s.append("none").append(r.pairs().hoursWithPairs() == 0 ? " (no pairs recorded)" : "").append('\n');
    } else {
      Table pairs = new Table("a", "b", "count", "conf a→b", "conf b→a", "lift");
      for (Pair p : r.pairs().top()) {
        pairs.row(Fmt.clip(p.a(), 30), Fmt.clip(p.b(), 30), Fmt.count(p.count()), Fmt.pct(p.confidenceAB()),
            Fmt.pct(p.confidenceBA()), Fmt.ratio(p.lift()));
      }
      pairs.render(s);
    }
    section(s, "Key patterns (" + r.patterns().distinctPatterns() + ")");
    Table pat = new Table("pattern", "keys", "reads", "share", "hit ratio", "miss cost");
    for (PatternRow p : r.patterns().top()) {
      pat.row(Fmt.clip(p.pattern(), KEY_WIDTH), Fmt.count(p.keys()), Fmt.count(p.reads()),
          Fmt.pct(p.shareOfReads()), Fmt.pct(p.hitRatio()), Fmt.ms(p.missCostMs()));
    }
    pat.render(s);
    section(s, "Plan");
    var plan = r.plan();
    s.append(plan.generation() == null ? "not written" : "written as generation " + plan.generation())
        .append(String.format(": %,d keys overall, %d hour plans, %,d pairs; expected coverage %s%n",
            plan.overallKeys(), plan.hourPlans(), plan.pairs(), Fmt.pct(plan.expectedCoverage())));
    if (!r.notes().isEmpty()) {
      section(s, "Notes");
      r.notes().forEach(n -> s.append("- ").append(n).append('\n'));
    }
    return s.toString();
  }

  private static void section(StringBuilder s, String title) {
    s.append('\n').append(title).append('\n').append("-".repeat(title.length())).append('\n');
  }

  /** Columns sized to content; the first column left-aligned text, the others right-aligned. */
  private static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
      rows.add(header);
    }

    void row(String... cells) {
      rows.add(cells);
    }

    void render(StringBuilder s) {
      int cols = rows.get(0).length;
      int[] width = new int[cols];
      for (String[] row : rows) {
        for (int c = 0; c < cols; c++) {
          width[c] = Math.max(width[c], row[c].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cols; c++) {
          boolean left = c == 0 || rows.get(0)[c].contains("key") || rows.get(0)[c].equals("pattern")
              || rows.get(0)[c].length() == 1;
          String cell = row[c];
          String pad = " ".repeat(width[c] - cell.length());
          line.append(left ? cell + pad : pad + cell).append(c + 1 < cols ? "  " : "");
        }
        s.append(line.toString().stripTrailing()).append('\n');
      }
    }
  }
}
