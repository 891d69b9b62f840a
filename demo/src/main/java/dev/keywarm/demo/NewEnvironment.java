package dev.keywarm.demo;

import dev.keywarm.testsupport.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's second scenario: the application itself starts (a new JVM with {@code warm=on-start})
 * against a brand-new, empty cache Redis — a new environment, or the green side of a blue/green
 * cut-over — while the stats Redis with the plan and the snapshot carries over. Run twice with the
 * same seed: traffic admitted at once, and traffic admitted only once keywarm's readiness file says
 * the warm reached its target (what a Kubernetes readiness probe on that file, or on the runner's
 * readiness port, would do). Both runs warm the same way (snapshot first, then the shop's loader)
 * and write the readiness file; only the gate differs.
 *
 * <p>Both name the cache ({@code cache=}): without it the agent learns the cache from the
 * application's first Redis command, and an application that sends none before it is ready (the
 * gated one) would never start its warm — readiness and warm would wait on each other.
 */
final class NewEnvironment {

  private final ShopRun shop;
  private final RedisServer cache;
  private final DemoStory.Options options;
  private final String recording;

  NewEnvironment(ShopRun shop, RedisServer cache, DemoStory.Options options, String recording) {
    this.shop = shop;
    this.cache = cache;
    this.options = options;
    this.recording = recording;
  }

  /** Runs both; {@code firstStep} and {@code steps} number the progress headings. */
  List<RestartMeasurement> run(int firstStep, int steps) throws IOException, InterruptedException {
    List<RestartMeasurement> measured = new ArrayList<>();
    int step = firstStep;
    for (RunKind run : List.of(RunKind.UNGATED, RunKind.GATED)) {
      Path readiness = options.outDir().resolve("readiness-" + run.label() + ".json");
      Files.deleteIfExists(readiness);
      System.out.println();
      System.out.println(
          step++
              + "/"
              + steps
              + "  a new shop JVM against an empty cache (warm=on-start), "
              + run.title()
              + (run == RunKind.GATED ? " (" + readiness.getFileName() + ")" : ""));
      DemoStory.restartCold(cache);
      ShopRun.Output output =
          shop.run(
              run.label(),
              recording + ",warm=on-start,cache=" + cache.uri(),
              List.of(
                  "-Dkeywarm.warmargs="
                      + options.warmArgs()
                      + " --readiness-file "
                      + readiness.toAbsolutePath()),
              options.startSeconds(),
              run == RunKind.GATED ? readiness.toAbsolutePath() : null,
              second -> {});
      measured.add(
          RestartMeasurement.fromTraffic(
              run, output.ticks(), output.admittedAtSecond(), output.restoredFromSnapshot()));
    }
    return measured;
  }
}
