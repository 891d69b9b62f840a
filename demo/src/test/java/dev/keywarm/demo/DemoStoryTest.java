package dev.keywarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
            8, 4, 8, 8, 500, 20_000, "--rate 10000 --concurrency 4", "jedis", out);
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    DemoStory.Result result;
    // shown as it runs and kept for the assertions
    System.setOut(new PrintStream(new TeeStream(original, printed), true, StandardCharsets.UTF_8));
    try {
      result = new DemoStory(options, DemoMain.agentJar()).run();
    } finally {
      System.setOut(original);
    }

    assertEquals(100, result.hotKeys().size(), "the plan ranks the shop's keys");
    assertTrue(
        result.hotKeys().stream().allMatch(k -> k.startsWith("product:")),
        result.hotKeys().toString());
    assertEquals(
        List.of(RestartRun.ZERO_CODE, RestartRun.LOADERS, RestartRun.COLD),
        result.restarts().stream().map(RestartMeasurement::run).toList(),
        "three restarts, in the order they ran");
    for (RestartMeasurement m : result.restarts()) {
      assertTrue(m.reads().length >= 8, m.run() + ": " + m.reads().length + " seconds measured");
      assertTrue(m.upkeep() != null && m.upkeep().seconds() > 0, m.run() + ": upkeep measured");
      assertTrue(m.upkeep().shopCalls() > 0, m.run() + ": the shop's own commands counted");
    }

    RestartMeasurement zeroCode = result.of(RestartRun.ZERO_CODE);
    assertTrue(
        zeroCode.restoredFromSnapshot() > 0,
        "with no loader at all, the runner restored keys from the snapshot");
    assertEquals(0, zeroCode.warmRows(), "-Ddemo.loaders=off: the shop's loader loaded nothing");
    assertTrue(
        zeroCode.upkeep().dumps() > 0,
        "the agent kept the snapshot (DUMPs on the cache Redis) before the restart");

    RestartMeasurement loaders = result.of(RestartRun.LOADERS);
    assertEquals(0, loaders.restoredFromSnapshot(), "--no-snapshot: nothing restored");
    assertTrue(
        loaders.warmRows() >= 100,
        "the shop's own loader (ShopLoaders, via ServiceLoader) loaded the plan: "
            + loaders.warmRows());
    assertEquals(
        100, result.hotKeysCachedAfterWarm(), "the 100 hottest keys are back in the cache");

    RestartMeasurement cold = result.of(RestartRun.COLD);
    assertEquals(0, cold.warmRows(), "warm=off warms nothing");
    assertEquals(0, cold.restoredFromSnapshot(), "warm=off restores nothing");

    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("hit rate in second 1"), text);
    assertTrue(text.contains("as a share of steady"), text);
    assertTrue(text.contains("as a share of the cold run's"), text);
    assertTrue(text.contains("time to 99 % of steady"), text);
    assertTrue(text.contains("snapshot upkeep: "), text);
    String html = Files.readString(result.report());
    assertTrue(html.contains("<section id=\"restart\">"), "the report carries the chart");
    for (RestartRun run : RestartRun.values()) {
      assertTrue(
          html.contains("<polyline fill=\"none\" stroke=\"" + run.colour() + "\""),
          "a line for " + run.label());
    }
  }

  /** Writes to two streams: the console and a buffer. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
