package dev.keywarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison's structure on made-up measurements: no server, no child JVM. */
class ComparisonReportTest {

  private static RestartMeasurement run(RestartRun run, double first, long queriesPerSecond) {
    double[] hitRate = {first, 1, 1};
    long[] queries = {queriesPerSecond, queriesPerSecond, queriesPerSecond};
    long[] reads = {1_000, 1_000, 1_000};
    SnapshotUpkeep upkeep = new SnapshotUpkeep(10, 500, 500, 40_000, 30, 250);
    return new RestartMeasurement(run, 1.0, hitRate, queries, reads, 0, 0, 0, 7, upkeep);
  }

  private final ComparisonReport report =
      new ComparisonReport(
          List.of(
              run(RestartRun.ZERO_CODE, 0.96, 50),
              run(RestartRun.LOADERS, 0.40, 200),
              run(RestartRun.COLD, 0.20, 1_000)));

  @Test
  void everyRunHasAColumnInTheTableAndALineInTheChart() {
    String table = report.table();
    for (RestartRun run : RestartRun.values()) {
      assertTrue(table.contains(run.title()), table);
    }
    String svg = report.svg();
    assertEquals(3, svg.split("<polyline", -1).length - 1, svg);
    assertTrue(svg.contains("stroke=\"#2ca02c\"") && svg.contains("stroke=\"#1f77b4\""), svg);
    assertTrue(
        svg.indexOf("keywarm, no loader code") < svg.indexOf("</svg>"), "the legend is inside");
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
