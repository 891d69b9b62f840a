package dev.keywarm.analyzer.report;

import dev.keywarm.analyzer.analysis.AnalysisResult;
import dev.keywarm.analyzer.analysis.AnalysisResult.BacktestRow;
import dev.keywarm.analyzer.analysis.AnalysisResult.CoverageTarget;
import dev.keywarm.analyzer.analysis.AnalysisResult.HotKey;
import dev.keywarm.analyzer.analysis.AnalysisResult.HourOfDay;
import dev.keywarm.analyzer.analysis.AnalysisResult.Pair;
import dev.keywarm.analyzer.analysis.AnalysisResult.PatternRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text summary for a terminal: every section, in fixed-width tables, no colour. */
public final class TextReport {

  private static final int KEY_WIDTH = 44;

  private TextReport() {}

  public static String render(AnalysisResult r) {
    StringBuilder s = new StringBuilder();
    s.append("keywarm analysis — app ")
        .append(r.app())
        .append(", UTC hours ")
        .append(r.range().from())
        .append(" .. ")
        .append(r.range().to())
        .append(" (")
        .append(r.range().hoursWithData())
        .append(" of ")
        .append(r.range().hours())
        .append(" hours with data)\n\n");
    var t = r.totals();
    s.append(
        String.format(
            "reads %s  hits %s  misses %s  hit ratio %s  keys %s  read once %s%n",
            Fmt.count(t.reads()),
            Fmt.count(t.hits()),
            Fmt.count(t.misses()),
            Fmt.pct(t.hitRatio()),
            Fmt.count(t.distinctKeys()),
            Fmt.pct(t.shareOfKeysReadOnce())));
    s.append("popularity: ").append(Popularity.headline(r)).append('\n');
    section(s, "Expected coverage (backtest)");
    s.append(r.backtest().verdict()).append('\n');
    if (r.backtest().measured()) {
      s.append("(").append(r.backtest().note()).append(")\n");
      Table table = new Table("k", "plan covers", "best possible");
      for (BacktestRow row : r.backtest().rows()) {
        table.row(Fmt.count(row.k()), Fmt.pct(row.coverage()), Fmt.pct(row.oracle()));
      }
      table.render(s, r.backtest().note());
    }
    zipf(s, r);
    section(s, "Coverage: keys needed for a share of reads");
    Table cov = new Table("share", "keys", "memory");
    for (CoverageTarget c : r.coverage().targets()) {
      cov.row(Fmt.pct(c.share()), Fmt.count(c.k()), Fmt.bytes(c.memoryBytes()));
    }
    cov.render(s, "No coverage: no reads.");
    s.append("memory: ").append(r.coverage().memoryNote()).append('\n');
    hotKeys(s, r);
    hours(s, r);
    pairs(s, r);
    patterns(s, r);
    section(s, "Plan");
    var plan = r.plan();
    s.append(
            plan.generation() == null
                ? "not written"
                : "written as generation " + plan.generation())
        .append(
            String.format(
                ": %,d keys overall, %d hour plans, %,d pairs, TTLs for %,d keys; expected "
                    + "coverage %s%n",
                plan.overallKeys(),
                plan.hourPlans(),
                plan.pairs(),
                plan.ttls(),
                Fmt.pct(plan.expectedCoverage())));
    if (!r.notes().isEmpty()) {
      section(s, "Notes");
      r.notes().forEach(n -> s.append("- ").append(n).append('\n'));
    }
    return s.toString();
  }

  private static void zipf(StringBuilder s, AnalysisResult r) {
    section(s, "Zipf");
    var z = r.zipf();
    String fit =
        String.format(
            "MLE alpha %s over ranks %d..%d of %s keys; least squares: %s on the "
                + "same ranks, %s on all ranks",
            Fmt.num(z.alpha(), 3),
            z.rankFrom(),
            z.rankTo(),
            Fmt.count(z.keys()),
            Fmt.num(z.alphaLeastSquares(), 3),
            Fmt.num(z.alphaLeastSquaresAllRanks(), 3));
    s.append(
            z.zipfLike()
                ? z.fit() + ": " + fit
                : "not Zipf-like, " + z.fit() + " (" + fit + "); " + Popularity.coverage(r))
        .append('\n')
        .append(z.method())
        .append('\n');
  }

  private static void hotKeys(StringBuilder s, AnalysisResult r) {
    section(s, "Hot keys (by " + r.hotSet().rankedBy() + ")");
    boolean loads = r.totals().loadsTimed() > 0;
    Table hot =
        loads
            ? new Table("#", "key", "reads", "hit ratio", "misses", "mean load", "saved by warming")
            : new Table("#", "key", "reads", "hit ratio", "misses");
    for (HotKey k : r.hotSet().keys()) {
      String[] cells = {
        Integer.toString(k.rank()),
        Fmt.clip(k.key(), KEY_WIDTH),
        Fmt.count(k.reads()),
        Fmt.pct(k.hitRatio()),
        Fmt.count(k.misses()),
        Fmt.ms(k.meanLoadMs()),
        Fmt.ms(k.savedMs())
      };
      hot.row(loads ? cells : Arrays.copyOf(cells, 5));
    }
    hot.render(s, "No hot keys: no reads.");
    if (!loads) {
      s.append(EmptySections.loads()).append('\n');
    }
  }

  private static void hours(StringBuilder s, AnalysisResult r) {
    section(s, "Hours of day (UTC)");
    var hourly = r.hourly();
    boolean specific = EmptySections.anyHourSpecific(hourly);
    Table hours =
        specific
            ? new Table("hour", "days", "reads", "top key", "most hour-specific key", "lift")
            : new Table("hour", "days", "reads", "top key");
    for (HourOfDay h : hourly.hours()) {
      String[] cells = {
        String.format("%02d", h.hour()),
        Integer.toString(h.days()),
        Fmt.count(h.reads()),
        h.top().isEmpty() ? "" : Fmt.clip(h.top().get(0).key(), 30),
        h.specific().isEmpty() ? "" : Fmt.clip(h.specific().get(0).key(), 30),
        h.specific().isEmpty() ? "" : Fmt.ratio(h.specific().get(0).lift())
      };
      hours.row(specific ? cells : Arrays.copyOf(cells, 4));
    }
    hours.render(s, EmptySections.hours());
    if (!specific && !hourly.hours().isEmpty()) {
      s.append(EmptySections.hourSpecific(hourly)).append('\n');
    }
    List<String> core = new ArrayList<>();
    hourly.core().forEach(c -> core.add(c.key()));
    s.append(
            core.isEmpty()
                ? EmptySections.core(hourly)
                : "core (top "
                    + hourly.setSize()
                    + " in ≥ "
                    + hourly.coreMinHours()
                    + " hours): "
                    + Fmt.clip(String.join(", ", core), 400))
        .append('\n');
    if (!hourly.note().isEmpty() && specific) {
      s.append("note: ").append(hourly.note()).append('\n');
    }
    s.append("day of week: ").append(hourly.dayOfWeek().note()).append('\n');
  }

  private static void pairs(StringBuilder s, AnalysisResult r) {
    section(
        s,
        "Pairs read together (by lift, support ≥ " + Fmt.count(r.pairs().minSupportCount()) + ")");
    Table pairs = new Table("a", "b", "count", "conf a→b", "conf b→a", "lift");
    for (Pair p : r.pairs().top()) {
      pairs.row(
          Fmt.clip(p.a(), 30),
          Fmt.clip(p.b(), 30),
          Fmt.count(p.count()),
          Fmt.pct(p.confidenceAB()),
          Fmt.pct(p.confidenceBA()),
          Fmt.ratio(p.lift()));
    }
    pairs.render(s, EmptySections.pairs(r.pairs()));
  }

  private static void patterns(StringBuilder s, AnalysisResult r) {
    var patterns = r.patterns();
    section(
        s,
        "Key patterns ("
            + patterns.distinctPatterns()
            + (patterns.writtenOnlyPatterns() > 0
                ? "; " + patterns.writtenOnlyPatterns() + " only written"
                : "")
            + ")");
    boolean loads = r.totals().loadsTimed() > 0;
    boolean ttls = TtlColumns.shown(patterns);
    List<String> header =
        new ArrayList<>(List.of("pattern", "keys", "reads", "share", "hit ratio"));
    if (loads) {
      header.add("miss cost");
    }
    if (ttls) {
      header.addAll(TtlColumns.HEADER);
    }
    Table pat = new Table(header.toArray(String[]::new));
    for (PatternRow p : patterns.top()) {
      List<String> cells =
          new ArrayList<>(
              List.of(
                  Fmt.clip(p.pattern(), KEY_WIDTH),
                  Fmt.count(p.keys()),
                  Fmt.count(p.reads()),
                  Fmt.pct(p.shareOfReads()),
                  Fmt.pct(p.hitRatio())));
      if (loads) {
        cells.add(Fmt.ms(p.missCostMs()));
      }
      if (ttls) {
        cells.addAll(TtlColumns.cells(p));
      }
      pat.row(cells.toArray(String[]::new));
    }
    pat.render(s, EmptySections.patterns());
    if (!patterns.top().isEmpty()) {
      s.append(ttls ? TtlColumns.NOTE : EmptySections.ttls()).append('\n');
    }
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

    /**
     * The table, or only {@code whenEmpty} if it has no rows: a header over nothing says nothing.
     */
    void render(StringBuilder s, String whenEmpty) {
      if (rows.size() == 1) {
        s.append(whenEmpty).append('\n');
        return;
      }
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
          boolean left =
              c == 0
                  || rows.get(0)[c].contains("key")
                  || rows.get(0)[c].equals("pattern")
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
