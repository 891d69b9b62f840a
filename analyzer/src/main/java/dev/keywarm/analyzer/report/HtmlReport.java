package dev.keywarm.analyzer.report;

import dev.keywarm.analyzer.analysis.AnalysisResult;
import dev.keywarm.analyzer.analysis.AnalysisResult.BacktestRow;
import dev.keywarm.analyzer.analysis.AnalysisResult.CoverageTarget;
import dev.keywarm.analyzer.analysis.AnalysisResult.HotKey;
import dev.keywarm.analyzer.analysis.AnalysisResult.HourBacktest;
import dev.keywarm.analyzer.analysis.AnalysisResult.HourOfDay;
import dev.keywarm.analyzer.analysis.AnalysisResult.Pair;
import dev.keywarm.analyzer.analysis.AnalysisResult.PatternRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One self-contained HTML file: inline CSS and SVG, no script and no external resource, so it opens
 * offline and can be mailed. Every section of the analysis appears, in the text report's order.
 */
public final class HtmlReport {

  private static final String CSS =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1180px;
        color:#1f2328;padding:0 16px}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;
        padding-bottom:4px}
      .sub{color:#59636e}.verdict{padding:10px 14px;border-radius:6px;margin:12px 0;font-weight:600}
      .good{background:#dafbe1;border:1px solid #4ac26b}.bad{background:#fff1e5;border:1px solid #fb8f44}
      table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
      th,td{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:right;white-space:nowrap}
      th{background:#f6f8fa}td.k,th.k{text-align:left;max-width:420px;overflow:hidden;text-overflow:ellipsis;
        font-family:ui-monospace,Menlo,Consolas,monospace}
      .charts{display:flex;flex-wrap:wrap;gap:18px}.card{border:1px solid #d0d7de;border-radius:6px;padding:8px}
      .kpi{display:flex;gap:22px;flex-wrap:wrap;margin:12px 0}.kpi div{min-width:110px}
      .kpi b{display:block;font-size:20px}ul.notes li{margin:3px 0}
      """;

  private HtmlReport() {}

  public static String render(AnalysisResult r) {
    StringBuilder s = new StringBuilder(64 * 1024);
    s.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>keywarm analysis: ")
        .append(Html.escape(r.app()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>");
    s.append("<h1>keywarm analysis — ").append(Html.escape(r.app())).append("</h1>");
    s.append("<div class=\"sub\">UTC hours ")
        .append(r.range().from())
        .append(" .. ")
        .append(r.range().to())
        .append(" (end exclusive) · ")
        .append(r.range().hoursWithData())
        .append(" of ")
        .append(r.range().hours())
        .append(" hours with data · generated ")
        .append(Html.escape(r.generatedAt()))
        .append(" · schema ")
        .append(r.schema())
        .append(" v")
        .append(r.schemaVersion())
        .append("</div>");
    var t = r.totals();
    s.append("<div class=\"kpi\">");
    kpi(s, "reads", Fmt.count(t.reads()));
    kpi(s, "hit ratio", Fmt.pct(t.hitRatio()));
    kpi(s, "distinct keys", Fmt.count(t.distinctKeys()));
    kpi(s, "keys read once", Fmt.pct(t.shareOfKeysReadOnce()));
    if (r.zipf().zipfLike()) {
      kpi(s, "Zipf α", Fmt.num(r.zipf().alpha(), 3));
    } else {
      CoverageTarget first = r.coverage().targets().get(0);
      kpi(s, "keys for " + Fmt.pct(first.share()) + " of reads", Fmt.count(first.k()));
    }
    kpi(s, "expected coverage", Fmt.pct(r.plan().expectedCoverage()));
    s.append("</div>");
    s.append("<div class=\"verdict ")
        .append(r.backtest().helpsLittle() || !r.backtest().measured() ? "bad" : "good")
        .append("\">")
        .append(Html.escape(r.backtest().verdict()))
        .append("</div>");

    popularity(s, r);
    List<String[]> cov = new ArrayList<>();
    for (CoverageTarget c : r.coverage().targets()) {
      cov.add(new String[] {Fmt.pct(c.share()), Fmt.count(c.k()), Fmt.bytes(c.memoryBytes())});
    }
    table(
        s,
        new String[] {"share of reads", "keys needed", "memory"},
        cov,
        "No coverage: no reads.",
        0);
    s.append("<p class=\"sub\">Memory: ")
        .append(Html.escape(r.coverage().memoryNote()))
        .append("</p>");

    backtest(s, r);
    hotKeys(s, r);
    patterns(s, r);
    hours(s, r);
    pairs(s, r);

    var plan = r.plan();
    s.append("<h2>Warm plan</h2><p>")
        .append(
            plan.generation() == null
                ? "Not written."
                : "Written as generation <code>"
                    + Html.escape(plan.generation())
                    + "</code>, expiring in "
                    + plan.expiresInSeconds() / 3600
                    + " h.")
        .append(
            String.format(
                " %,d keys overall, %d hour plans, %,d pairs, TTLs for %,d keys; expected"
                    + " coverage %s.",
                plan.overallKeys(),
                plan.hourPlans(),
                plan.pairs(),
                plan.ttls(),
                Fmt.pct(plan.expectedCoverage())))
        .append("</p>");
    if (!r.notes().isEmpty()) {
      s.append("<h2>Notes</h2><ul class=\"notes\">");
      r.notes().forEach(n -> s.append("<li>").append(Html.escape(n)).append("</li>"));
      s.append("</ul>");
    }
    return s.append("</body></html>\n").toString();
  }

  /** The backtest's table, or when it could not be measured only why (the verdict says). */
  private static void backtest(StringBuilder s, AnalysisResult r) {
    var b = r.backtest();
    s.append("<h2>Expected coverage, measured</h2><p>")
        .append(Html.escape(b.measured() ? b.note() : b.verdict()))
        .append("</p>");
    if (!b.measured()) {
      return;
    }
    List<String[]> bt = new ArrayList<>();
    for (BacktestRow row : b.rows()) {
      bt.add(new String[] {Fmt.count(row.k()), Fmt.pct(row.coverage()), Fmt.pct(row.oracle())});
    }
    table(
        s,
        new String[] {"k", "plan from earlier hours covers", "best possible k keys"},
        bt,
        b.note(),
        0);
    if (!b.hourly().isEmpty()) {
      List<String[]> hb = new ArrayList<>();
      for (HourBacktest h : b.hourly()) {
        hb.add(
            new String[] {
              String.format("%02d", h.hour()),
              Fmt.count(h.k()),
              Fmt.pct(h.coverage()),
              Fmt.pct(h.oracle())
            });
      }
      s.append("<details><summary>hour-of-day plans on their held-out hour</summary>");
      table(s, new String[] {"hour", "k", "covers", "best possible"}, hb, "", 0);
      s.append("</details>");
    }
  }

  /** The two charts and the fit; coverage leads when the curve is not Zipf-like. */
  private static void popularity(StringBuilder s, AnalysisResult r) {
    var z = r.zipf();
    String rank =
        SvgCharts.rankFrequency(
            z.points(),
            z.zipfLike()
                ? String.format(Locale.ROOT, "fit, α = %.3f", z.alpha())
                : "power law: poor fit");
    String coverage = SvgCharts.coverage(r.coverage().curve());
    s.append("<h2>Popularity</h2><div class=\"charts\"><div class=\"card\">")
        .append(z.zipfLike() ? rank : coverage)
        .append("</div><div class=\"card\">")
        .append(z.zipfLike() ? coverage : rank)
        .append("</div></div><p>");
    String fit =
        " over ranks "
            + z.rankFrom()
            + "–"
            + z.rankTo()
            + " of "
            + Fmt.count(z.keys())
            + " keys. Least squares: "
            + Fmt.num(z.alphaLeastSquares(), 3)
            + " (same ranks), "
            + Fmt.num(z.alphaLeastSquaresAllRanks(), 3)
            + " (all ranks).";
    if (z.zipfLike()) {
      s.append("α = <b>")
          .append(Fmt.num(z.alpha(), 3))
          .append("</b>, ")
          .append(Html.escape(z.fit()))
          .append(fit);
    } else {
      String headline = Popularity.coverage(r);
      s.append("<b>")
          .append(Html.escape(Character.toUpperCase(headline.charAt(0)) + headline.substring(1)))
          .append(".</b> Not Zipf-like: ")
          .append(Html.escape(z.fit()))
          .append(" (MLE α ")
          .append(Fmt.num(z.alpha(), 3))
          .append(Html.escape(fit))
          .append(")");
    }
    s.append("<br><span class=\"sub\">Method: ")
        .append(Html.escape(z.method()))
        .append("</span></p>");
  }

  private static void hotKeys(StringBuilder s, AnalysisResult r) {
    boolean loads = r.totals().loadsTimed() > 0;
    s.append("<h2>Hot keys</h2><p class=\"sub\">ranked by ")
        .append(Html.escape(r.hotSet().rankedBy()))
        .append(loads ? "; saved by warming = misses × mean load time" : "")
        .append("</p>");
    List<String[]> hot = new ArrayList<>();
    for (HotKey k : r.hotSet().keys()) {
      String[] cells = {
        Integer.toString(k.rank()),
        k.key(),
        Fmt.count(k.reads()),
        Fmt.pct(k.hitRatio()),
        Fmt.count(k.misses()),
        Fmt.ms(k.meanLoadMs()),
        Fmt.ms(k.savedMs())
      };
      hot.add(loads ? cells : Arrays.copyOf(cells, 5));
    }
    String[] header = {"#", "key", "reads", "hit ratio", "misses", "mean load", "saved by warming"};
    table(s, loads ? header : Arrays.copyOf(header, 5), hot, "No hot keys: no reads.", 1);
    if (!loads) {
      s.append("<p class=\"sub\">").append(Html.escape(EmptySections.loads())).append("</p>");
    }
  }

  private static void patterns(StringBuilder s, AnalysisResult r) {
    boolean loads = r.totals().loadsTimed() > 0;
    s.append("<h2>Key patterns</h2><div class=\"card\">")
        .append(SvgCharts.heatmap(r.patterns().heatmap()))
        .append("</div>");
    boolean ttls = TtlColumns.shown(r.patterns());
    List<String[]> pat = new ArrayList<>();
    for (PatternRow p : r.patterns().top()) {
      List<String> cells =
          new ArrayList<>(
              List.of(
                  p.pattern(),
                  Fmt.count(p.keys()),
                  Fmt.count(p.reads()),
                  Fmt.pct(p.shareOfReads()),
                  Fmt.pct(p.hitRatio())));
      if (loads) {
        cells.add(Fmt.ms(p.missCostMs()));
        cells.add(p.loadsTimed() > 0 ? Fmt.pct(p.loadKnownShare()) : "–");
      }
      if (ttls) {
        cells.addAll(TtlColumns.cells(p));
      }
      pat.add(cells.toArray(String[]::new));
    }
    List<String> header =
        new ArrayList<>(List.of("pattern", "keys", "reads", "share", "hit ratio"));
    if (loads) {
      header.addAll(List.of("miss cost", "misses costed"));
    }
    if (ttls) {
      header.addAll(TtlColumns.HEADER);
    }
    table(s, header.toArray(String[]::new), pat, EmptySections.patterns(), 0);
    if (!pat.isEmpty()) {
      s.append("<p class=\"sub\">")
          .append(Html.escape(ttls ? TtlColumns.NOTE : EmptySections.ttls()))
          .append("</p>");
    }
  }

  private static void hours(StringBuilder s, AnalysisResult r) {
    var hourly = r.hourly();
    boolean specific = EmptySections.anyHourSpecific(hourly);
    s.append("<h2>Hours of day (UTC)</h2><p class=\"sub\">core: in the top ")
        .append(hourly.setSize())
        .append(" of at least ")
        .append(hourly.coreMinHours())
        .append(" hours; hour-specific: in the top ")
        .append(hourly.setSize())
        .append(" of at most ")
        .append(hourly.specificMaxHours())
        .append(" hours, ranked by lift")
        .append(hourly.note().isEmpty() ? "" : ". " + Html.escape(hourly.note()))
        .append("</p>");
    List<String[]> hours = new ArrayList<>();
    for (HourOfDay h : hourly.hours()) {
      String[] cells = {
        String.format("%02d", h.hour()),
        Integer.toString(h.days()),
        Fmt.count(h.reads()),
        h.top().isEmpty() ? "" : h.top().get(0).key(),
        h.specific().isEmpty() ? "" : h.specific().get(0).key(),
        h.specific().isEmpty() ? "" : Fmt.ratio(h.specific().get(0).lift()),
        Integer.toString(h.specific().size())
      };
      hours.add(specific ? cells : Arrays.copyOf(cells, 4));
    }
    String[] header = {
      "hour", "days", "reads", "top key", "most hour-specific key", "lift", "specific"
    };
    table(s, specific ? header : Arrays.copyOf(header, 4), hours, EmptySections.hours(), -1, 3, 4);
    if (!specific && !hourly.hours().isEmpty()) {
      s.append("<p class=\"sub\">")
          .append(Html.escape(EmptySections.hourSpecific(hourly)))
          .append("</p>");
    }
    List<String[]> core = new ArrayList<>();
    hourly
        .core()
        .forEach(
            c ->
                core.add(
                    new String[] {
                      c.key(), Fmt.count(c.reads()), Integer.toString(c.hoursInTop())
                    }));
    s.append("<p><b>Stable core</b></p>");
    table(
        s, new String[] {"key", "reads", "hours in top set"}, core, EmptySections.core(hourly), 0);
    s.append("<p class=\"sub\">Day of week: ")
        .append(Html.escape(hourly.dayOfWeek().note()))
        .append("</p>");
  }

  private static void pairs(StringBuilder s, AnalysisResult r) {
    s.append("<h2>Pairs read together</h2><p class=\"sub\">ranked by lift; support ≥ ")
        .append(Fmt.count(r.pairs().minSupportCount()))
        .append(" co-reads; ")
        .append(r.pairs().candidates())
        .append(" pairs qualify</p>");
    List<String[]> pairs = new ArrayList<>();
    for (Pair p : r.pairs().top()) {
      pairs.add(
          new String[] {
            p.a(),
            p.b(),
            Fmt.count(p.count()),
            String.format("%.2e", p.support()),
            Fmt.pct(p.confidenceAB()),
            Fmt.pct(p.confidenceBA()),
            Fmt.ratio(p.lift())
          });
    }
    table(
        s,
        new String[] {"a", "b", "count", "support", "conf a→b", "conf b→a", "lift"},
        pairs,
        EmptySections.pairs(r.pairs()),
        0,
        1);
  }

  private static void kpi(StringBuilder s, String label, String value) {
    s.append("<div><b>")
        .append(Html.escape(value))
        .append("</b><span class=\"sub\">")
        .append(label)
        .append("</span></div>");
  }

  /**
   * A table; the columns listed in {@code textColumns} are left-aligned monospace (keys, patterns).
   * With no rows only {@code whenEmpty} is written: a header over nothing says nothing.
   */
  private static void table(
      StringBuilder s, String[] header, List<String[]> rows, String whenEmpty, int... textColumns) {
    if (rows.isEmpty()) {
      s.append("<p>").append(Html.escape(whenEmpty)).append("</p>");
      return;
    }
    s.append("<table><tr>");
    for (int c = 0; c < header.length; c++) {
      s.append("<th")
          .append(isText(c, textColumns) ? " class=\"k\"" : "")
          .append(">")
          .append(Html.escape(header[c]))
          .append("</th>");
    }
    s.append("</tr>");
    for (String[] row : rows) {
      s.append("<tr>");
      for (int c = 0; c < row.length; c++) {
        s.append("<td")
            .append(
                isText(c, textColumns) ? " class=\"k\" title=\"" + Html.escape(row[c]) + "\"" : "")
            .append(">")
            .append(Html.escape(row[c]))
            .append("</td>");
      }
      s.append("</tr>");
    }
    s.append("</table>");
  }

  private static boolean isText(int column, int[] textColumns) {
    for (int t : textColumns) {
      if (t == column) {
        return true;
      }
    }
    return false;
  }
}
