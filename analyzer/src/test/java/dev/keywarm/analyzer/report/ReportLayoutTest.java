package dev.keywarm.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.analysis.AnalysisOptions;
import dev.keywarm.analyzer.analysis.AnalysisResult;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the text and HTML reports show for two generated apps: "flat" (100,000 keys read 10–12 times
 * each in one hour: not Zipf-like, no loads, no pairs, too few hours for core or hour-specific
 * keys) and "zipfy" (Zipf 1.0 over 2,000 keys, loads timed on some keys, one pair, TTLs per pattern
 * and a pattern written but never read). A section with nothing says why in one line instead of a
 * table header; the α headline appears only over a good fit.
 */
class ReportLayoutTest {

  static final int FLAT_KEYS = 100_000;
  static AnalysisResult flat;
  static AnalysisResult zipfy;

  @BeforeAll
  static void record() {
    RangeDataBuilder flatApp = new RangeDataBuilder("flat");
    for (int i = 0; i < FLAT_KEYS; i++) {
      flatApp.hits(Fixtures.START, "item:" + i, 10 + i % 3);
    }
    Random random = new Random(11);
    double[] cdf = Fixtures.zipfCdf(2_000, 1.0);
    RangeDataBuilder w = new RangeDataBuilder("zipfy");
    for (int h = 0; h < 6; h++) {
      HourBucket hour = Fixtures.START.plusHours(h);
      int[] counts = new int[2_000];
      for (int i = 0; i < 50_000; i++) {
        counts[Fixtures.sample(cdf, random)]++;
      }
      for (int k = 0; k < counts.length; k++) {
        // product keys are loaded through the agent-timed path; misc keys miss with no load timed
        String key = (k % 2 == 0 ? "product:" : "misc:") + k;
        double misses = Math.ceil(counts[k] * 0.1);
        w.hits(hour, key, counts[k] - misses).misses(hour, key, misses);
        if (k % 2 == 0) {
          w.loads(hour, key, misses, 3_000);
        }
      }
      w.pair(hour, "product:0", "product:2", 50);
      // per hour: product keys mostly live 10 min; misc keys 30 s or 1 h, never without TTL
      w.ttlWrites(hour, "product:{n}", 600_000, 90).ttlWrites(hour, "product:{n}", -1, 10);
      w.ttlWrites(hour, "misc:{n}", 30_000, 30).ttlWrites(hour, "misc:{n}", 3_600_000, 10);
    }
    w.ttlWrites(Fixtures.START, "audit:{n}", -1, 7); // written, never read
    flat =
        Fixtures.analyze(
                flatApp,
                new HourRange(Fixtures.START, Fixtures.START.plusHours(1)),
                AnalysisOptions.defaults())
            .result();
    zipfy =
        Fixtures.analyze(
                w,
                new HourRange(Fixtures.START, Fixtures.START.plusHours(6)),
                AnalysisOptions.defaults())
            .result();
  }

  @Test
  void aPoorFitLeadsWithCoverageNotAlpha() {
    assertFalse(flat.zipf().zipfLike(), flat.zipf().fit());
    assertTrue(
        flat.zipf().fit().matches("poor fit \\(R² -?0\\.\\d{3}\\): α not meaningful"),
        flat.zipf().fit());
    String text = TextReport.render(flat);
    String headline = "the top " + Fmt.count(flat.coverage().targets().get(0).k()) + " keys (";
    assertTrue(text.contains("\npopularity: " + headline), text);
    assertTrue(text.contains("; not Zipf-like: " + flat.zipf().fit() + "\n"), text);
    assertFalse(text.contains("Zipf α"), text);
    String html = HtmlReport.render(flat);
    assertFalse(html.contains("Zipf α</span>"), "no α key figure");
    assertFalse(html.contains("α = <b>"), "no bold α");
    assertTrue(
        html.contains("<span class=\"sub\">keys for 80.0% of reads</span>"), "coverage key figure");
    assertTrue(html.contains("<b>T" + headline.substring(1)), "coverage headline");
    assertTrue(
        html.indexOf("Share of reads covered") < html.indexOf("Reads by rank"),
        "coverage chart first");
  }

  @Test
  void aGoodFitLeadsWithAlpha() {
    assertTrue(zipfy.zipf().zipfLike(), zipfy.zipf().fit());
    String alpha = Fmt.num(zipfy.zipf().alpha(), 3);
    assertTrue(zipfy.zipf().fit().matches("good fit \\(R² 0\\.9\\d{2}\\)"), zipfy.zipf().fit());
    assertTrue(
        TextReport.render(zipfy).contains("\npopularity: Zipf α " + alpha + ", good fit (R² 0.9"));
    String html = HtmlReport.render(zipfy);
    assertTrue(
        html.contains("<b>" + alpha + "</b><span class=\"sub\">Zipf α</span>"), "α key figure");
    assertTrue(html.contains("α = <b>" + alpha + "</b>, good fit (R² 0.9"), "α headline");
  }

  @Test
  void emptySectionsSayWhyInsteadOfPrintingAHeader() {
    String text = TextReport.render(flat);
    assertTrue(text.contains("\n" + EmptySections.pairs(flat.pairs()) + "\n"), text);
    assertTrue(text.contains("No pairs: no co-access pairs were recorded in range"), text);
    assertFalse(text.contains("conf a→b"), text);
    assertTrue(
        text.contains(
            "\nNo hour-specific keys: core and hour-specific keys need at least 4 hours "
                + "of day with data.\n"),
        text);
    assertTrue(
        text.contains(
            "\nNo stable core: core and hour-specific keys need at least 4 hours of day "
                + "with data.\n"),
        text);
    assertFalse(text.contains("most hour-specific key"), text);
    String html = HtmlReport.render(flat);
    assertTrue(html.contains("<p>" + Html.escape(EmptySections.pairs(flat.pairs())) + "</p>"));
    assertFalse(html.contains("<th>conf a→b</th>"));
    assertFalse(html.contains("hours in top set"), "no header of an empty core table");
    assertFalse(html.contains("most hour-specific key"));
    assertFalse(
        html.contains("plan from earlier hours covers"), "no backtest table when unmeasured");
    assertTrue(html.contains("<p>" + Html.escape(flat.backtest().verdict()) + "</p>"));
  }

  @Test
  void loadTimeColumnsOnlyWhereALoadWasTimed() {
    String flatText = TextReport.render(flat);
    assertFalse(
        flatText.lines().anyMatch(l -> l.endsWith("saved by warming") || l.endsWith("miss cost")),
        flatText);
    assertTrue(flatText.contains("\n" + EmptySections.loads() + "\n"), flatText);
    String flatHtml = HtmlReport.render(flat);
    assertFalse(flatHtml.contains("<th>mean load</th>"));
    assertFalse(flatHtml.contains("<th>misses costed</th>"));
    assertTrue(flatHtml.contains(Html.escape(EmptySections.loads())));

    String html = HtmlReport.render(zipfy);
    assertTrue(html.contains("<th>mean load</th>"));
    // misc keys miss with no load timed: no miss cost, no share of misses costed
    String misc = patternRow(html, "misc:{n}");
    assertTrue(misc.contains("<td>–</td><td>–</td><td>30 s</td>"), misc);
    String product = patternRow(html, "product:{n}");
    assertTrue(product.contains("<td>100.0%</td><td>10 min</td>"), product);
    String text = TextReport.render(zipfy);
    assertTrue(text.lines().anyMatch(l -> l.matches("\\d+ +misc:\\d+ .* – +–")), text);
  }

  /** One pattern's row of the HTML pattern table. */
  static String patternRow(String html, String pattern) {
    String row = html.substring(html.indexOf("<td class=\"k\" title=\"" + pattern + "\">"));
    return row.substring(0, row.indexOf("</tr>"));
  }

  @Test
  void ttlColumnsShowEachPatternsQuantilesAndShareWithoutTtl() throws Exception {
    String text = TextReport.render(zipfy);
    assertTrue(text.contains("\nKey patterns (2; 1 only written)\n"), text);
    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    l.matches(
                        "pattern +keys +reads +share +hit ratio +miss cost +TTL p50 +TTL p90"
                            + " +without TTL +writes")),
        text);
    // 540 writes of 10 min, 60 without; 180 of 30 s, 60 of 1 h; 7 of a pattern never read
    assertTrue(
        text.lines().anyMatch(l -> l.matches("product:\\{n} .* 10 min +10 min +10\\.0% +600")),
        text);
    assertTrue(text.lines().anyMatch(l -> l.matches("misc:\\{n} .* 30 s +1 h +0\\.0% +240")), text);
    assertTrue(
        text.lines()
            .anyMatch(l -> l.matches("audit:\\{n} +0 +0 +0\\.0% +– +– +none +none +100\\.0% +7")),
        text);
    assertTrue(text.contains("\n" + TtlColumns.NOTE + "\n"), text);

    String html = HtmlReport.render(zipfy);
    assertTrue(
        html.contains("<th>TTL p50</th><th>TTL p90</th><th>without TTL</th><th>writes</th>"));
    assertTrue(
        patternRow(html, "product:{n}")
            .endsWith("<td>10 min</td><td>10 min</td><td>10.0%</td><td>600</td>"),
        html);
    assertTrue(
        patternRow(html, "misc:{n}")
            .endsWith("<td>30 s</td><td>1 h</td><td>0.0%</td><td>240</td>"));
    assertTrue(
        patternRow(html, "audit:{n}")
            .endsWith("<td>none</td><td>none</td><td>100.0%</td><td>7</td>"));

    JsonNode patterns =
        new ObjectMapper().readTree(JsonReport.render(zipfy)).get("patterns").get("top");
    JsonNode product = find(patterns, "product:{n}");
    assertEquals(600_000, product.get("ttlP50Ms").asLong());
    assertEquals(600_000, product.get("ttlP90Ms").asLong());
    assertEquals(0.1, product.get("writesWithoutTtlShare").asDouble(), 1e-12);
    assertEquals(600, product.get("ttlWrites").asLong());
    assertEquals(3_600_000, find(patterns, "misc:{n}").get("ttlP90Ms").asLong());
    JsonNode audit = find(patterns, "audit:{n}");
    assertTrue(audit.get("ttlP50Ms").isNull(), audit.toString());
    assertEquals(1.0, audit.get("writesWithoutTtlShare").asDouble());
    assertEquals(0, audit.get("reads").asDouble());
  }

  @Test
  void withoutAnyTtlRecordedTheTtlColumnsAreLeftOutWithALineSayingWhy() throws Exception {
    String text = TextReport.render(flat);
    assertFalse(text.contains("TTL p50"), text);
    assertTrue(text.contains("\n" + EmptySections.ttls() + "\n"), text);
    String html = HtmlReport.render(flat);
    assertFalse(html.contains("<th>TTL p50</th>"));
    assertTrue(html.contains("<p class=\"sub\">" + Html.escape(EmptySections.ttls()) + "</p>"));
    JsonNode item =
        find(
            new ObjectMapper().readTree(JsonReport.render(flat)).get("patterns").get("top"),
            "item:{n}");
    assertTrue(item.get("ttlP50Ms").isNull() && item.get("writesWithoutTtlShare").isNull());
    assertEquals(0, item.get("ttlWrites").asLong());
  }

  private static JsonNode find(JsonNode rows, String pattern) {
    for (JsonNode row : rows) {
      if (row.get("pattern").asText().equals(pattern)) {
        return row;
      }
    }
    throw new AssertionError("no pattern " + pattern + " in " + rows);
  }

  @Test
  void theLastTickLabelEndsInsideTheChart() {
    String html = HtmlReport.render(flat);
    // both charts reach k = rank = 100,000: centred on the right edge the label would be cut off
    assertEquals(2, html.split("text-anchor=\"end\">100,000</text>", -1).length - 1, "both charts");
    assertFalse(html.contains("text-anchor=\"middle\">100,000</text>"));
  }
}
