package dev.keywarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The demo's story, short: real redis-servers, the shop in a child JVM with the agent, a real
 * analysis and two cold restarts. Asserts behaviour only — timings are measured and printed, never
 * asserted (a busy machine would make them flaky).
 */
class DemoStoryTest {

  @Test
  void warmBringsTheHotKeysBackThroughTheShopsLoaderAndTheDemoPrintsTheComparison()
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
        100, result.hotKeysCachedAfterWarm(), "the 100 hottest keys are back in the cache");
    assertTrue(
        result.warmed().warmRows() >= 100,
        "the shop's own loader (ShopLoaders, via ServiceLoader) loaded them: "
            + result.warmed().warmRows());
    assertEquals(0, result.cold().warmRows(), "warm=off warms nothing");
    assertTrue(result.warmed().reads().length >= 8 && result.cold().reads().length >= 8);

    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("time to 90 % of steady"), text);
    assertTrue(text.contains("peak db queries / s"), text);
    String html = Files.readString(result.report());
    assertTrue(
        html.contains("<section id=\"restart\">") && html.contains("<polyline"),
        "the report carries the hit-rate chart");
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
