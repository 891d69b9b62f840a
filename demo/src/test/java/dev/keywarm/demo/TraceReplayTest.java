package dev.keywarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keywarm.schema.plan.PlanMeta;
import dev.keywarm.schema.plan.WarmPlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scoring of {@link TraceReplay} and the key mapping of {@link CacheTrace}, by hand-checked
 * numbers.
 */
class TraceReplayTest {

  @Test
  void ormIdsBecomeTypeIdIndexKeysAndWebIdsProductKeys() {
    int id = (7 << 27) | (1234 << 9) | 3;
    assertEquals("type7:1234:3", new CacheTrace("orm-busy", new int[0], true).key(id));
    assertEquals("product:42", new CacheTrace("web12", new int[0], false).key(42));
  }

  @Test
  void coverageOfTheNextWindowForPlanNaiveAndOracle() {
    // window 1: 1 ×3, 2 ×2, 3 ×1; window 2 (6 reads): 3 ×3, 1 ×2, 4 ×1
    CacheTrace trace = new CacheTrace("web", new int[] {1, 1, 1, 2, 2, 3, 3, 3, 3, 1, 1, 4}, false);
    WarmPlan plan =
        new WarmPlan(
            List.of(entry("product:3", 9), entry("product:1", 1)),
            List.of(),
            List.of(),
            PlanMeta.EMPTY);
    List<TraceReplay.Row> rows = TraceReplay.score(trace, 6, 6, plan, new int[] {1, 2});
    assertEquals(3 / 6.0, rows.get(0).keywarm(), 1e-9); // plan's top 1 = product:3
    assertEquals(2 / 6.0, rows.get(0).naive(), 1e-9); // flat count's top 1 = id 1
    assertEquals(3 / 6.0, rows.get(0).oracle(), 1e-9);
    assertEquals(5 / 6.0, rows.get(1).keywarm(), 1e-9);
    assertEquals(2 / 6.0, rows.get(1).naive(), 1e-9); // ids 1 and 2; 2 is never read again
    assertEquals(5 / 6.0, rows.get(1).oracle(), 1e-9);
    // the unseen id 4 is outside the next window's top 2, so the ceiling reaches the oracle
    assertEquals(3 / 6.0, rows.get(0).ceiling(), 1e-9);
    assertEquals(5 / 6.0, rows.get(1).ceiling(), 1e-9);
  }

  @Test
  void ceilingLeavesOutTheNextWindowsReadsOfKeysNeverSeenBefore() {
    // window 1: 1 ×3, 2 ×2, 3 ×1; window 2 (6 reads): 4 ×3 (never seen before), 3 ×2, 2 ×1
    CacheTrace trace = new CacheTrace("web", new int[] {1, 1, 1, 2, 2, 3, 4, 4, 4, 3, 3, 2}, false);
    WarmPlan plan =
        new WarmPlan(
            List.of(entry("product:1", 3), entry("product:2", 2), entry("product:3", 1)),
            List.of(),
            List.of(),
            PlanMeta.EMPTY);
    List<TraceReplay.Row> rows = TraceReplay.score(trace, 6, 6, plan, new int[] {1, 2, 3});
    // top 1: oracle holds 4, the ceiling the best seen id 3, naive the old top 1 (never read again)
    assertEquals(3 / 6.0, rows.get(0).oracle(), 1e-9);
    assertEquals(2 / 6.0, rows.get(0).ceiling(), 1e-9);
    assertEquals(0.0, rows.get(0).naive(), 1e-9);
    assertEquals(0.0, rows.get(0).keywarm(), 1e-9);
    assertEquals(5 / 6.0, rows.get(1).oracle(), 1e-9); // 4, 3
    assertEquals(3 / 6.0, rows.get(1).ceiling(), 1e-9); // 3, 2
    assertEquals(1 / 6.0, rows.get(1).naive(), 1e-9); // 1, 2
    // K covers every key: the ceiling misses exactly id 4's 3 reads
    assertEquals(6 / 6.0, rows.get(2).oracle(), 1e-9);
    assertEquals(3 / 6.0, rows.get(2).ceiling(), 1e-9);
    assertEquals(3 / 6.0, rows.get(2).keywarm(), 1e-9);
  }

  private static WarmPlan.Entry entry(String key, double score) {
    return new WarmPlan.Entry(key.getBytes(StandardCharsets.UTF_8), score);
  }
}
