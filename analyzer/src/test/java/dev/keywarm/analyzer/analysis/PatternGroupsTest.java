package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.analysis.AnalysisResult.PatternRow;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mixed keys with known counts: each pattern's keys, reads share, hit ratio and miss cost are
 * exact.
 */
class PatternGroupsTest {

  static Map<String, PatternRow> rows;
  static AnalysisResult result;

  @BeforeAll
  static void record() {
    HourBucket h0 = Fixtures.START;
    HourBucket h1 = Fixtures.START.plusHours(1);
    RangeDataBuilder w = new RangeDataBuilder("patterns");
    for (int u = 0; u < 100; u++) { // 100 keys × (6 hits + 2 misses) = 800 reads, 600 hits
      w.hits(h0, "user:" + u + ":profile", 3).hits(h1, "user:" + u + ":profile", 3);
      w.misses(h1, "user:" + u + ":profile", 2).loads(h1, "user:" + u + ":profile", 2, 1500);
    }
    for (int s = 0; s < 50; s++) { // 50 keys × 2 misses = 100 reads, no load timed
      w.misses(h0, "session:" + new UUID(s, s * 31L), 2);
    }
    for (int c = 0; c < 20; c++) { // 20 keys × 5 hits = 100 reads
      w.hits(h1, "{tenant" + c + "}:cart:" + (c * 7), 5);
    }
    w.hits(h0, new byte[] {1, 2, 3, (byte) 0xfe}, 10);
    result =
        Fixtures.analyze(w, new HourRange(h0, h0.plusHours(2)), AnalysisOptions.defaults())
            .result();
    rows =
        result.patterns().top().stream()
            .collect(Collectors.toMap(PatternRow::pattern, Function.identity()));
  }

  @Test
  void groupsMixedKeys() {
    assertEquals(4, result.patterns().distinctPatterns(), rows.keySet().toString());
    double total = 800 + 100 + 100 + 10;
    PatternRow user = rows.get("user:{n}:profile");
    assertEquals(100, user.keys());
    assertEquals(800, user.reads(), 1e-9);
    assertEquals(800 / total, user.shareOfReads(), 1e-9);
    assertEquals(0.75, user.hitRatio(), 1e-9);
    assertEquals(100 * 2 * 1.5, user.missCostMs(), 1e-6); // 200 misses × 1.5 ms
    assertEquals(1.0, user.loadKnownShare(), 1e-9);
    PatternRow session = rows.get("session:{uuid}");
    assertEquals(50, session.keys());
    assertEquals(0.0, session.hitRatio(), 1e-9);
    assertNull(session.missCostMs()); // misses, but no load was timed: not costed
    assertEquals(20, rows.get("{tag}:cart:{n}").keys());
    assertEquals(10, rows.get("{binary}").reads(), 1e-9);
    assertEquals("user:{n}:profile", result.patterns().top().get(0).pattern());
  }

  @Test
  void heatmapSplitsReadsByHour() {
    int user = result.patterns().heatmap().patterns().indexOf("user:{n}:profile");
    assertEquals(300, result.patterns().heatmap().reads()[0][user], 1e-9);
    assertEquals(500, result.patterns().heatmap().reads()[1][user], 1e-9);
  }
}
