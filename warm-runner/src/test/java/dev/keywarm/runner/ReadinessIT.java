package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.testsupport.RedisServerExtension;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness file, the HTTP endpoint and the MXBean say warming, then ready with the coverage.
 */
class ReadinessIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void warmingThenReady(@TempDir Path dir) throws Exception {
    try (PlanFixture fixture = new PlanFixture(REDIS.server().uri(), "readyapp")) {
      fixture.plan("g1", PlanFixture.ranked("k", 20), Map.of());
    }
    Path file = dir.resolve("sub/keywarm.ready");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CountDownLatch release = new CountDownLatch(1);
    WarmHandle handle =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("readyapp")
            .redis(REDIS.server().uri())
            .clock(PlanFixture.CLOCK)
            .serviceLoaders(false)
            .readinessFile(file)
            .readinessPort(port)
            .targetCoverage(1.0)
            .progressInterval(Duration.ofMillis(50))
            .loader(
                "*",
                key -> {
                  release.await();
                  return LoadedValue.of(bytes("v"));
                })
            .build()
            .start();

    while (!Files.exists(file) && !handle.isDone()) {
      Thread.sleep(10);
    }
    assertTrue(Files.readString(file).contains("\"state\":\"warming\""), Files.readString(file));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build();
    HttpResponse<String> warming = http.send(probe, HttpResponse.BodyHandlers.ofString());
    assertEquals(503, warming.statusCode());
    assertTrue(warming.body().contains("\"state\":\"warming\""), warming.body());
    ObjectName bean = new ObjectName("dev.keywarm:type=WarmRunner,app=\"readyapp\"");
    String jmxState =
        (String) ManagementFactory.getPlatformMBeanServer().getAttribute(bean, "State");
    assertTrue(jmxState.equals("planning") || jmxState.equals("warming"), jmxState);

    release.countDown();
    WarmResult result = handle.await();

    assertEquals(20, result.progress().warmed());
    String done = Files.readString(file);
    assertTrue(done.contains("\"state\":\"ready\""), done);
    assertTrue(done.contains("\"coverage\":1.0000"), done);
    assertTrue(done.contains("\"status\":\"completed\""), done);
    assertEquals(20L, ManagementFactory.getPlatformMBeanServer().getAttribute(bean, "Warmed"));
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "temp files left behind");
    }
  }

  @Test
  void endpointAnswers200WhenReady() throws Exception {
    try (PlanFixture fixture = new PlanFixture(REDIS.server().uri(), "ready2")) {
      fixture.plan("g1", PlanFixture.ranked("k", 5), Map.of());
    }
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // a fixed port is closed at the end; so probe from the progress listener while the run is live
    CountDownLatch loaded = new CountDownLatch(5);
    CountDownLatch probed = new CountDownLatch(1);
    int[] status = new int[1];
    WarmHandle handle =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("ready2")
            .redis(REDIS.server().uri())
            .jmx(false)
            .clock(PlanFixture.CLOCK)
            .serviceLoaders(false)
            .readinessPort(port)
            .targetCoverage(0.5)
            .progressInterval(Duration.ofMillis(20))
            .loader(
                "*",
                key -> {
                  loaded.countDown();
                  if (loaded.getCount() == 0) {
                    probed.await(); // hold the run open until the probe saw ready
                  }
                  return LoadedValue.of(bytes("v"));
                })
            .build()
            .start();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
    for (int i = 0; i < 1_000 && status[0] != 200; i++) {
      try {
        status[0] = http.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode();
      } catch (java.io.IOException notListeningYet) {
        status[0] = -1;
      }
      Thread.sleep(10);
    }
    assertEquals(200, status[0], "never ready although coverage passed the target");
    probed.countDown();
    assertEquals(WarmStatus.COMPLETED, handle.await().status());
  }
}
