package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.analysis.AnalysisResult.HotKey;
import dev.keywarm.analyzer.analysis.AnalysisResult.PatternRow;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.analyzer.report.HtmlReport;
import dev.keywarm.analyzer.report.JsonReport;
import dev.keywarm.analyzer.report.TextReport;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.plan.WarmPlan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hash fields recorded as cache entries ({@link FieldMember}) beside plain keys, with known counts:
 * they are ranked, grouped and planned like keys, each hash and field shape is a pattern of its
 * own, every report shows a field as {@code key [field]}, and the plan carries the field member's
 * own bytes — never a member decoded as a plain key.
 */
class HashFieldEntriesTest {

  static Analysis analysis;
  static Map<String, PatternRow> patterns;

  static byte[] field(String key, String field) {
    return FieldMember.encode(
        key.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void record() {
    HourBucket h0 = Fixtures.START;
    RangeDataBuilder w = new RangeDataBuilder("hashes");
    for (int u = 0; u < 10; u++) { // 10 hashes × profile: 8 hits + 2 misses; avatar: 1 miss
      w.hits(h0, field("user:" + u, "profile"), 8).misses(h0, field("user:" + u, "profile"), 2);
      w.misses(h0, field("user:" + u, "avatar"), 1);
    }
    for (int p = 0; p < 5; p++) { // one hash holding a cache: products [0..4], 4 hits each
      w.hits(h0, field("products", Integer.toString(p)), 4);
    }
    w.hits(h0, field("user:0", "profile"), 100); // the hottest entry of all
    w.hits(h0, "user:0", 3); // the hash's key as a plain string key: another entry
    analysis = Fixtures.analyze(w, new HourRange(h0, h0.plusHours(1)), AnalysisOptions.defaults());
    patterns =
        analysis.result().patterns().top().stream()
            .collect(Collectors.toMap(PatternRow::pattern, Function.identity()));
  }

  @Test
  void aPatternPerHashAndFieldShape() {
    assertEquals(4, analysis.result().patterns().distinctPatterns(), patterns.keySet().toString());
    PatternRow profile = patterns.get("user:{n} [profile]");
    assertEquals(10, profile.keys());
    assertEquals(10 * 10 + 100, profile.reads(), 1e-9);
    assertEquals((10 * 8 + 100) / 200.0, profile.hitRatio(), 1e-9);
    assertEquals(10, patterns.get("user:{n} [avatar]").keys());
    assertEquals(0.0, patterns.get("user:{n} [avatar]").hitRatio(), 1e-9);
    assertEquals(5, patterns.get("products [{n}]").keys());
    assertEquals(20, patterns.get("products [{n}]").reads(), 1e-9);
    assertEquals(1, patterns.get("user:{n}").keys(), "the plain key is not a field");
  }

  @Test
  void theHotSetShowsFieldsAsKeyAndField() {
    HotKey top = analysis.result().hotSet().keys().get(0);
    assertEquals("user:0 [profile]", top.key());
    assertEquals("user:{n} [profile]", top.pattern());
    assertEquals(108, top.hits(), 1e-9);
    assertEquals(2, top.misses(), 1e-9);
  }

  @Test
  void thePlanCarriesTheFieldMembersOwnBytes() {
    WarmPlan.Entry first = analysis.plan().overall().get(0);
    assertArrayEquals(field("user:0", "profile"), first.member());
    assertTrue(
        analysis.plan().overall().stream()
            .anyMatch(e -> java.util.Arrays.equals(e.member(), "user:0".getBytes())),
        "the plain key is planned as itself");
  }

  @Test
  void everyReportShowsFieldsAsKeyAndField() throws Exception {
    AnalysisResult r = analysis.result();
    String text = TextReport.render(r);
    assertTrue(text.contains("user:0 [profile]"), text);
    assertTrue(text.contains("products [{n}]"), text);
    String html = HtmlReport.render(r);
    assertTrue(html.contains("user:0 [profile]"), "html hot key");
    assertTrue(html.contains("user:{n} [profile]"), "html pattern");
    JsonNode json = new ObjectMapper().readTree(JsonReport.render(r));
    assertEquals("user:0 [profile]", json.at("/hotSet/keys/0/key").asText(), json.toString());
    assertEquals("user:{n} [profile]", json.at("/hotSet/keys/0/pattern").asText());
  }
}
