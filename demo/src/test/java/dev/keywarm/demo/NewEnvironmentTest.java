package dev.keywarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's second scenario, short: after a training run and its analysis, a new shop JVM with
 * {@code warm=on-start} starts twice against a brand-new empty cache, traffic admitted at once and
 * gated on keywarm's readiness file. Mechanics only, never figures (a busy machine).
 */
class NewEnvironmentTest {

  @Test
  void gatedTrafficWaitsForTheReadinessFileAndUngatedTrafficDoesNot() throws Exception {
    Path out = Path.of("target", "new-environment-test");
    DemoStory.Options options =
        new DemoStory.Options(
            8, 0, 0, 8, 3_000, 500, 20_000, "--rate 10000 --concurrency 4", "jedis", out);
    PrintedStory story = PrintedStory.run(options);
    DemoStory.Result result = story.result();

    assertEquals(List.of(), result.restarts(), "no restart runs asked for");
    assertEquals(
        List.of(RunKind.UNGATED, RunKind.GATED),
        result.starts().stream().map(RestartMeasurement::run).toList());
    RestartMeasurement ungated = result.of(RunKind.UNGATED);
    RestartMeasurement gated = result.of(RunKind.GATED);
    assertEquals(0, ungated.admittedAtSecond(), "ungated traffic is not held back");
    assertTrue(gated.admittedAtSecond() > 0, "gated traffic waits for the readiness file");
    assertTrue(
        gated.seconds().get(0).requests() > 0, "the gated run is measured from its first traffic");
    assertTrue(
        Files.readString(out.resolve("readiness-gated.json")).contains("\"state\":\"ready\""),
        "the gate opened on keywarm's own readiness record");
    for (RestartMeasurement m : result.starts()) {
      assertTrue(
          m.restoredFromSnapshot() + m.warmRows() > 0,
          m.run() + ": warm=on-start put keys back into the empty cache");
      assertTrue(m.seconds().size() >= 3, m.run() + ": " + m.seconds().size() + " seconds");
    }
    String text = story.text();
    assertTrue(text.contains("traffic admitted, s after the JVM started"), text);
    String html = Files.readString(result.report());
    assertTrue(html.contains("<section id=\"new-environment\">"), "the report has the scenario");
    assertTrue(Files.isRegularFile(out.resolve("p99-new-environment.svg")), "its p99 chart");
  }
}
