package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar keywarm.jar attach <pid>} on a program that is already running, with its Jedis
 * classes loaded and its connections open: recording starts without a restart.
 */
class AttachIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  /**
   * The JDK running the tests, plus every newer JDK installed beside it (JDK 21+ warn on attach).
   */
  static Stream<Path> jdks() throws IOException {
    List<Path> jdks = new ArrayList<>(List.of(ChildJvm.currentJava()));
    Path installed = ChildJvm.currentJava().getParent().getParent().getParent();
    try (Stream<Path> dirs = Files.list(installed)) {
      dirs.map(dir -> dir.resolve("bin/java"))
          .filter(Files::isExecutable)
          .filter(binary -> featureVersion(binary) >= 21)
          .findFirst()
          .ifPresent(jdks::add);
    }
    return jdks.stream();
  }

  private static int featureVersion(Path binary) {
    try {
      Process process =
          new ProcessBuilder(binary.toString(), "-version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      process.waitFor();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"(\\d+)").matcher(out);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void attachesToARunningJvmAndRecords(Path java) throws Exception {
    Process app =
        ChildJvm.start(
            java,
            null,
            ClientLibraries.jedis(),
            List.of(),
            LoopApp.class,
            REDIS.server().host(),
            Integer.toString(REDIS.server().port()),
            "6");
    waitForOutput(app, "ready");

    ChildJvm.Result listed = ChildJvm.runJar(java, ChildJvm.agentJar(), "list");
    assertTrue(listed.stdout().contains(Long.toString(app.pid())), listed.stdout());

    ChildJvm.Result attached =
        ChildJvm.runJar(
            java,
            ChildJvm.agentJar(),
            "attach",
            Long.toString(app.pid()),
            "app=it-attach,redis=" + REDIS.server().uri() + ",flush=300ms");
    assertEquals(0, attached.exitCode(), attached.stderr());

    assertTrue(app.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(app);
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().contains("exceptions=0"), run.stdout() + run.stderr());
    assertEquals(0, run.stderrLines("sun.misc.Unsafe"), run.stderr());
    assertEquals(1, run.stderrLines("INFO recording app=it-attach"), run.stderr());
    try (StatsReader stats =
        new StatsReader(REDIS.server().host(), REDIS.server().port(), "it-attach")) {
      assertTrue(
          stats.score(HourlySet.HITS, "loop:key") > 50,
          "hits after the attach: "
              + stats.score(HourlySet.HITS, "loop:key")
              + "\n"
              + run.stderr());
    }
  }

  @Test
  void explainsBadInput() throws Exception {
    ChildJvm.Result noPid = ChildJvm.runJar(ChildJvm.agentJar(), "attach");
    assertEquals(2, noPid.exitCode());
    assertTrue(noPid.stderr().contains("attach needs a pid"), noPid.stderr());
    ChildJvm.Result badPid = ChildJvm.runJar(ChildJvm.agentJar(), "attach", "not-a-pid");
    assertEquals(2, badPid.exitCode());
    ChildJvm.Result gone = ChildJvm.runJar(ChildJvm.agentJar(), "attach", "999999999");
    assertEquals(1, gone.exitCode());
    assertTrue(gone.stderr().contains("keywarm: could not attach to 999999999"), gone.stderr());
  }

  private static void waitForOutput(Process process, String text) throws Exception {
    Path out = ChildJvm.stdoutFile(process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.readString(out).contains(text)) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("child never printed '" + text + "'");
      }
      Thread.sleep(50);
    }
  }
}
