package dev.keywarm.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.schema.HourBucket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class PatternMetersTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static WindowSnapshot window(WindowTotals totals, String... keys) {
    int n = keys.length;
    byte[][] members = new byte[n][];
    long[] hits = new long[n];
    long[] misses = new long[n];
    long[] writes = new long[n];
    long[] loadNanos = new long[n];
    long[] loads = new long[n];
    for (int i = 0; i < n; i++) {
      members[i] = bytes(keys[i]);
      hits[i] = 3;
      misses[i] = 1;
      writes[i] = 1;
      loads[i] = 1;
      loadNanos[i] = 2_000_000;
    }
    long[] removals = new long[n];
    java.util.Arrays.fill(removals, 2);
    return new WindowSnapshot(
        HourBucket.ofEpochMillis(0),
        members,
        hits,
        misses,
        writes,
        loadNanos,
        loads,
        totals,
        new byte[0][],
        new long[0],
        new long[n],
        removals);
  }

  private static Map<String, PatternMeters.Series> byPattern(PatternMeters meters) {
    Map<String, PatternMeters.Series> out = new TreeMap<>();
    meters.series().forEach(s -> out.put(s.pattern(), s));
    return out;
  }

  @Test
  void countsAddUpPerPatternAndUnattributedCountsGoToOther() {
    PatternMeters meters = new PatternMeters(10);
    WindowTotals dropped = new WindowTotals(5, 6, 7, 0, 0, 0, 0, 0);
    meters.add(window(dropped, "user:1", "user:2", "product:9"));
    meters.add(window(WindowTotals.NONE, "user:3"));
    Map<String, PatternMeters.Series> s = byPattern(meters);
    assertEquals(List.of("other", "product:{n}", "user:{n}"), List.copyOf(s.keySet()));
    assertEquals(9, s.get("user:{n}").hits());
    assertEquals(3, s.get("user:{n}").misses());
    assertEquals(3, s.get("user:{n}").puts());
    assertEquals(6, s.get("user:{n}").removals());
    assertEquals(3, s.get("user:{n}").loads());
    assertEquals(6_000_000, s.get("user:{n}").loadNanos());
    assertEquals(5, s.get("other").hits());
    assertEquals(6, s.get("other").misses());
    assertEquals(7, s.get("other").puts());
  }

  @Test
  void beyondTheBoundNewPatternsCountUnderOtherAndExposedSeriesStay() {
    PatternMeters meters = new PatternMeters(2);
    meters.add(window(WindowTotals.NONE, "a:1", "b:1"));
    meters.add(window(WindowTotals.NONE, "c:1", "d:1", "a:2"));
    Map<String, PatternMeters.Series> s = byPattern(meters);
    assertEquals(List.of("a:{n}", "b:{n}", "other"), List.copyOf(s.keySet()));
    assertEquals(6, s.get("a:{n}").hits());
    assertEquals(6, s.get("other").hits(), "c and d");
  }

  @Test
  void prometheusTextNamesLikeMicrometerAndEscapesLabelValues() {
    DoubleSupplier seven = () -> 7;
    List<MeterCatalog.Meter> meters =
        List.of(
            new MeterCatalog.Meter(
                "cache.gets",
                MeterCatalog.Type.COUNTER,
                null,
                "reads",
                List.of("cache", "shop", "pattern", "a\"b\\c\nd", "result", "hit"),
                seven,
                null),
            new MeterCatalog.Meter(
                "cache.gets",
                MeterCatalog.Type.COUNTER,
                null,
                "reads",
                List.of("cache", "shop", "pattern", "x", "result", "miss"),
                () -> 0.5,
                null),
            new MeterCatalog.Meter(
                "cache.load.duration",
                MeterCatalog.Type.TIMER,
                "seconds",
                "loads",
                List.of("cache", "shop"),
                () -> 3,
                () -> 0.0125),
            new MeterCatalog.Meter(
                "keywarm.flush.lag",
                MeterCatalog.Type.GAUGE,
                "seconds",
                "lag",
                List.of("cache", "shop"),
                () -> 0,
                null));
    String text = PrometheusText.render(meters);
    assertEquals(
        String.join(
            "\n",
            "# HELP cache_gets_total reads",
            "# TYPE cache_gets_total counter",
            "cache_gets_total{cache=\"shop\",pattern=\"a\\\"b\\\\c\\nd\",result=\"hit\"} 7.0",
            "cache_gets_total{cache=\"shop\",pattern=\"x\",result=\"miss\"} 0.5",
            "# HELP cache_load_duration_seconds loads",
            "# TYPE cache_load_duration_seconds summary",
            "cache_load_duration_seconds_count{cache=\"shop\"} 3.0",
            "cache_load_duration_seconds_sum{cache=\"shop\"} 0.0125",
            "# HELP keywarm_flush_lag_seconds lag",
            "# TYPE keywarm_flush_lag_seconds gauge",
            "keywarm_flush_lag_seconds{cache=\"shop\"} 0.0",
            ""),
        text);
    assertTrue(text.endsWith("\n"));
  }
}
