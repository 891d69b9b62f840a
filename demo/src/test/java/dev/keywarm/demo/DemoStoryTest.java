package dev.keywarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's story, short: real redis-servers, the shop in a child JVM with the agent, a real
 * analysis and three cold restarts (snapshot only, the shop's loader, none). Asserts behaviour and
 * structure only — timings and hit rates are measured and printed, never asserted (a busy machine
 * would make them flaky).
 */
class DemoStoryTest {

  @Test
  void threeRestartsAreMeasuredTheSnapshotAloneRestoresKeysAndTheLoaderAloneLoadsThem()
      throws Exception {
    Path out = Path.of("target", "demo-story-test");
    DemoStory.Options options =
        new DemoStory.Options(
            8, 5, 8, 0, 3_000, 500, 20_000, "--rate 10000 --concurrency 4", "jedis", out);
    PrintedStory story = PrintedStory.run(options);
    DemoStory.Result result = story.result();

    assertEquals(100, result.hotKeys().size(), "the plan ranks the shop's keys");
    assertTrue(
        result.hotKeys().stream().allMatch(k -> k.startsWith("product:")),
        result.hotKeys().toString());
    assertEquals(
        List.of(RunKind.ZERO_CODE, RunKind.LOADERS, RunKind.COLD),
        result.restarts().stream().map(RestartMeasurement::run).toList(),
        "three restarts, in the order they ran");
    for (RestartMeasurement m : result.restarts()) {
      assertTrue(
          m.seconds().size() >= 8, m.run() + ": " + m.seconds().size() + " seconds measured");
      assertTrue(m.upkeep() != null && m.upkeep().seconds() > 0, m.run() + ": upkeep measured");
      assertTrue(m.upkeep().shopCalls() > 0, m.run() + ": the shop's own commands counted");
    }

    RestartMeasurement zeroCode = result.of(RunKind.ZERO_CODE);
    assertTrue(
        zeroCode.restoredFromSnapshot() > 0,
        "with no loader at all, the runner restored keys from the snapshot");
    assertEquals(0, zeroCode.warmRows(), "-Ddemo.loaders=off: the shop's loader loaded nothing");
    assertTrue(
        zeroCode.upkeep().dumps() > 0,
        "the agent kept the snapshot (DUMPs on the cache Redis) before the restart");

    RestartMeasurement loaders = result.of(RunKind.LOADERS);
    assertEquals(0, loaders.restoredFromSnapshot(), "--no-snapshot: nothing restored");
    assertTrue(
        loaders.warmRows() >= 100,
        "the shop's own loader (ShopLoaders, via ServiceLoader) loaded the plan: "
            + loaders.warmRows());
    assertEquals(
        100, result.hotKeysCachedAfterWarm(), "the 100 hottest keys are back in the cache");

    RestartMeasurement cold = result.of(RunKind.COLD);
    assertEquals(0, cold.warmRows(), "warm=off warms nothing");
    assertEquals(0, cold.restoredFromSnapshot(), "warm=off restores nothing");

    String text = story.text();
    assertTrue(text.contains("hit rate in second 1"), text);
    assertTrue(text.contains("as a share of steady"), text);
    assertTrue(text.contains("as a share of the cold run's"), text);
    assertTrue(text.contains("time to 99 % of steady"), text);
    assertTrue(text.contains("snapshot upkeep: "), text);
    assertTrue(text.contains("the herd (targets of issue 11)"), text);
    assertTrue(text.contains("failed: timed out (> 250 ms)"), text);
    for (RestartMeasurement m : result.restarts()) {
      assertTrue(m.totalRequests() > 0, m.run() + ": open-loop traffic arrived");
      assertTrue(
          m.steadyLatency().getTotalCount() > 0, m.run() + ": steady latencies were recorded");
      assertTrue(
          m.seconds().stream().allMatch(s -> s.latency().getTotalCount() > 0),
          m.run() + ": every second after the restart has its latency histogram");
    }
    assertTrue(Files.isRegularFile(out.resolve("p99-after-restart.svg")), "the p99 chart");
    assertTrue(Files.isRegularFile(out.resolve("hit-rate-after-restart.svg")), "the hit chart");
    String html = Files.readString(result.report());
    assertTrue(html.contains("<section id=\"restart\">"), "the report carries the charts");
    for (RunKind run : RunKind.RESTARTS) {
      assertTrue(
          html.contains("<polyline fill=\"none\" stroke=\"" + run.colour() + "\""),
          "a line for " + run.label());
    }
  }
}
