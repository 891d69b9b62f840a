package dev.keywarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The comparison's structure on made-up measurements: no server, no child JVM. */
class ComparisonReportTest {

  /** Three seconds after a restart: the first at {@code first} hit rate, then fully warm. */
  private static RestartMeasurement run(
      RunKind run, double first, long queriesPerSecond, long firstP99Micros, long timeouts) {
    List<RestartMeasurement.Second> seconds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Histogram latency = LatencyLog.empty();
      latency.recordValueWithCount(i == 0 ? firstP99Micros : 1_000, 1_000);
      long hits = Math.round((i == 0 ? first : 1) * 1_000);
      seconds.add(
          new RestartMeasurement.Second(
              600, 1_000, hits, i == 0 ? timeouts : 0, 0, queriesPerSecond, 3, latency));
    }
    Histogram steady = LatencyLog.empty();
    steady.recordValueWithCount(1_000, 5_000);
    SnapshotUpkeep upkeep = new SnapshotUpkeep(10, 500, 500, 40_000, 30, 250);
    return new RestartMeasurement(run, 1.0, steady, seconds, 0, 0, 7, upkeep, 0);
  }

  private final ComparisonReport report =
      new ComparisonReport(
          List.of(
              run(RunKind.ZERO_CODE, 0.96, 50, 1_500, 0),
              run(RunKind.LOADERS, 0.40, 200, 40_000, 0),
              run(RunKind.COLD, 0.20, 1_000, 250_000, 120)));

  @Test
  void everyRunHasAColumnInTheTableAndALineInTheChart() {
    String table = report.table();
    for (RunKind run : RunKind.RESTARTS) {
      assertTrue(table.contains(run.title()), table);
    }
    for (String svg : List.of(report.hitRateSvg(), report.latencySvg())) {
      assertEquals(3, svg.split("<polyline", -1).length - 1, svg);
      assertTrue(svg.contains("stroke=\"#2ca02c\"") && svg.contains("stroke=\"#1f77b4\""), svg);
      assertTrue(
          svg.indexOf("keywarm, no loader code") < svg.indexOf("</svg>"), "the legend is inside");
    }
  }

  @Test
  void theHerdIsHeldAgainstIssue11sTargetsFromTheMergedHistograms() {
    String table = report.table();
    // cold: 120 timeouts, second 1's p99 250 ms against a steady 1 ms
    assertTrue(table.contains("120 timeouts, 250 × — met"), table);
    assertTrue(table.contains("zero-code: 0 timeouts:"), table);
    // zero-code: 1.5 ms in second 1 against 1 ms steady: within 2 ×
    assertTrue(table.contains("peak 1.5 × steady (second 1), 0 s over — met"), table);
    assertTrue(table.contains("1.50 ms"), "second 1's p99 of the zero-code run: " + table);
  }

  @Test
  void theZeroCodeRunIsHeldAgainstItsTargetsAsMeasured() {
    String table = report.table();
    assertTrue(table.contains("96.0 % of steady — met"), table);
    assertTrue(table.contains("5.0 % (150 of 3,000) — met"), table);
    // 1 000 snapshot commands against 40 000 of the shop's
    assertTrue(table.contains("2.5 % — met"), table);
    assertTrue(
        table.contains("snapshot upkeep: 100 commands/s on the cache Redis")
            && table.contains("12,500 value bytes/s"),
        table);
  }

  @Test
  void commandstatsAreSplitIntoSnapshotShopAndHousekeeping() {
    SnapshotUpkeep.Reading from =
        SnapshotUpkeep.Reading.parse(
            0, "# Commandstats\r\ncmdstat_get:calls=100,usec=5\r\ncmdstat_info:calls=2,usec=1\r\n");
    SnapshotUpkeep.Reading to =
        SnapshotUpkeep.Reading.parse(
            2_000_000_000L,
            "# Commandstats\r\ncmdstat_get:calls=1100,usec=50\r\ncmdstat_setex:calls=100,usec=9"
                + "\r\ncmdstat_dump:calls=20,usec=3\r\ncmdstat_pttl:calls=20,usec=1"
                + "\r\ncmdstat_info:calls=8,usec=4\r\ncmdstat_client|setname:calls=1,usec=1\r\n");
    SnapshotUpkeep upkeep = SnapshotUpkeep.between(from, to);
    assertEquals(2.0, upkeep.seconds());
    assertEquals(20, upkeep.dumps());
    assertEquals(20, upkeep.pttls());
    assertEquals(1_100, upkeep.shopCalls());
    assertEquals(7, upkeep.housekeeping());
    assertEquals(20.0, upkeep.commandsPerSecond());
    assertEquals(-1, upkeep.bytesPerSecond(), "no bytes per key known");
  }
}
