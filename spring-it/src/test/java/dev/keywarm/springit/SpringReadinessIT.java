package dev.keywarm.springit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.LocalTools;
import dev.keywarm.testsupport.RedisServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Readiness gated by the start warm, end to end, in an unmodified Spring Boot application with
 * Actuator's health probes: with {@code warm=on-start} (and {@code cache=} known), {@code
 * /actuator/health/readiness} answers 503 while the warm loads the hot set through the
 * application's slow loader ({@link SlowItemLoaderProvider}), and 200 only once the warm has put
 * back its coverage target; liveness is never touched. The warm's progress shows as meters ({@code
 * keywarm_warm_*}) on the application's {@code /actuator/prometheus}.
 */
class SpringReadinessIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final int HOT_KEYS = 40;

  @Test
  void readinessRefusesTrafficUntilTheStartWarmIsReady() throws Exception {
    String app = "it-spring-ready";
    String hits =
        KeySchema.forApp(app)
            .hourly(HourBucket.ofEpochMillis(System.currentTimeMillis()), HourlySet.HITS);
    for (int i = 1; i <= HOT_KEYS; i++) {
      REDIS.server().command("ZADD", hits, "10", "ready:item:" + i);
    }
    int port = LocalTools.freePort();
    Path stopFile = Files.createTempFile("keywarm-stop", ".flag");
    Files.delete(stopFile);
    String redis = REDIS.server().uri();
    Process child =
        ChildJvm.start(
            "app=" + app + ",redis=" + redis + ",cache=" + redis + ",warm=on-start,flush=300ms",
            SpringApps.classPath(),
            List.of("-Dkeywarm.warmargs=--concurrency 1 --rate 0"),
            ProductWebApp.class,
            "--spring.data.redis.host=" + REDIS.server().host(),
            "--spring.data.redis.port=" + REDIS.server().port(),
            "--spring.cache.type=redis",
            "--spring.cache.redis.key-prefix=" + app + ":",
            "--spring.main.banner-mode=off",
            "--server.port=" + port,
            "--server.address=127.0.0.1",
            "--management.endpoint.health.probes.enabled=true",
            "--management.endpoints.web.exposure.include=health,prometheus",
            stopFile.toString());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int refused = 0;
    boolean livenessUpWhileRefused = false;
    long warmedAtReady = -1;
    String warmMeters = "";
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline && child.isAlive()) {
        int status = status(http, port, "/actuator/health/readiness");
        if (status == 503) {
          if (refused++ == 0) {
            livenessUpWhileRefused = status(http, port, "/actuator/health/liveness") == 200;
          }
        } else if (status == 200) {
          warmedAtReady = warmedKeys();
          break;
        }
        Thread.sleep(20);
      }
      // the warm's progress as meters, on the application's own /actuator/prometheus
      long metersDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!warmMeters.contains(
              "keywarm_warm_keys_planned{cache=\"" + app + "\"} " + HOT_KEYS + ".0")
          && System.nanoTime() < metersDeadline
          && child.isAlive()) {
        Thread.sleep(200);
        warmMeters = body(http, port, "/actuator/prometheus");
      }
    } finally {
      Files.createFile(stopFile);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(stopFile);
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(refused > 0, "readiness never refused traffic during the warm\n" + run.stderr());
    assertTrue(livenessUpWhileRefused, "liveness stays UP while readiness waits");
    assertTrue(
        warmedAtReady >= Math.ceil(0.95 * HOT_KEYS),
        "ready with only " + warmedAtReady + " of " + HOT_KEYS + " keys warmed\n" + run.stderr());
    assertEquals(1, run.stderrLines("readiness: accepting traffic"), run.stderr());
    assertTrue(
        warmMeters.contains("keywarm_warm_keys_planned{cache=\"" + app + "\"} " + HOT_KEYS + ".0")
            && warmMeters.contains(
                "keywarm_warm_keys_warmed{cache=\"" + app + "\"} " + HOT_KEYS + ".0")
            && warmMeters.contains("keywarm_warm_coverage{cache=\"" + app + "\"} 1.0"),
        "the warm's meters\n" + warmMeters);
  }

  private static int status(HttpClient http, int port, String path) throws InterruptedException {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      return -1; // not listening yet
    }
  }

  private static String body(HttpClient http, int port, String path) throws InterruptedException {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static long warmedKeys() {
    long warmed = 0;
    for (int i = 1; i <= HOT_KEYS; i++) {
      if (REDIS.server().command("GET", "ready:item:" + i) != null) {
        warmed++;
      }
    }
    return warmed;
  }
}
