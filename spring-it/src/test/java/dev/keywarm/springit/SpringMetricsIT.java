package dev.keywarm.springit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.LocalTools;
import dev.keywarm.testsupport.RedisServerExtension;
import dev.keywarm.testsupport.ScrapedSamples;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An unmodified Spring Boot application with Actuator and a Prometheus registry, started with
 * {@code -javaagent}: its {@code /actuator/prometheus} shows keywarm's cache meters per key pattern
 * — {@code cache_gets_total{cache="…",pattern="<app>:products::{n}",result="hit"}} and the rest —
 * with exact counts, registered by the agent on the application's own Micrometer global registry.
 */
class SpringMetricsIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @ParameterizedTest(name = "{0} connection factory")
  @ValueSource(strings = {"lettuce", "jedis"})
  void actuatorPrometheusShowsExactCountsPerKeyPattern(String client) throws Exception {
    scrapeAfterWorkload(client, "cache", List.of());
  }

  /**
   * With Spring Boot's own Redis cache statistics on, the application has {@code cache.gets} with
   * other tags ({@code cache=products}, {@code cache.manager}…): those stay as they are, and
   * keywarm's meters take the names {@code keywarm.cache.*} instead of hiding them.
   */
  @Test
  void theApplicationsOwnCacheMetersStayAndKeywarmsMoveAside() throws Exception {
    String body =
        scrapeAfterWorkload(
            "lettuce",
            "keywarm_cache",
            List.of(
                "--spring.cache.cache-names=products",
                "--spring.cache.redis.enable-statistics=true"));
    assertTrue(
        Arrays.stream(body.split("\n"))
            .anyMatch(l -> l.startsWith("cache_gets_total{") && l.contains("cache=\"products\"")),
        "the application's own cache.gets\n" + body);
  }

  /** Runs the workload and returns the scrape once keywarm's meters have exact counts. */
  private static String scrapeAfterWorkload(String client, String prefix, List<String> extraArgs)
      throws Exception {
    String app = "it-spring-metrics-" + client + (extraArgs.isEmpty() ? "" : "-stats");
    int port = LocalTools.freePort();
    Path stopFile = Files.createTempFile("keywarm-stop", ".flag");
    Files.delete(stopFile);
    List<String> args = new java.util.ArrayList<>(extraArgs);
    args.addAll(
        List.of(
            "--spring.data.redis.host=" + REDIS.server().host(),
            "--spring.data.redis.port=" + REDIS.server().port(),
            "--spring.data.redis.client-type=" + client,
            "--spring.cache.type=redis",
            "--spring.cache.redis.key-prefix=" + app + ":",
            "--spring.main.banner-mode=off",
            "--server.port=" + port,
            "--server.address=127.0.0.1",
            "--management.endpoints.web.exposure.include=prometheus",
            stopFile.toString()));
    Process child =
        ChildJvm.start(
            "app=" + app + ",flush=300ms",
            SpringApps.classPath(),
            List.of(),
            ProductWebApp.class,
            args.toArray(new String[0]));
    String body = "";
    try {
      long loads = awaitLoads(child);
      String tags = "cache=\"" + app + "\",pattern=\"" + app + ":products::{n}\"";
      Map<String, Double> want = new TreeMap<>();
      want.put(prefix + "_gets_total{" + tags + ",result=\"hit\"}", (double) (13 - loads));
      want.put(prefix + "_gets_total{" + tags + ",result=\"miss\"}", (double) loads);
      want.put(prefix + "_puts_total{" + tags + "}", (double) loads);
      String timer = prefix + "_load_duration_seconds_count{" + tags + "}";
      body =
          ScrapedSamples.await(
                  child,
                  URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"),
                  // the bridge registers a pattern's meters over successive updates
                  seen ->
                      seen.containsKey(timer)
                          && want.entrySet().stream()
                              .allMatch(
                                  w -> String.valueOf(w.getValue()).equals(seen.get(w.getKey()))),
                  want + " and " + timer)
              .body();
      assertTrue(
          body.contains(prefix + "_load_duration_seconds_count{" + tags + "}"),
          "the load timer\n" + body);
      assertTrue(body.contains("keywarm_events_lost_total{cache=\"" + app + "\"} 0.0"), body);
    } finally {
      Files.createFile(stopFile);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(stopFile);
    assertEquals(0, run.exitCode(), run.stderr());
    return body;
  }

  /** The application's loads of products 1..5 (each a miss, then a put), once it printed them. */
  private static long awaitLoads(Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && child.isAlive()) {
      String out = Files.readString(ChildJvm.stdoutFile(child));
      if (out.contains("workload done")) {
        long loads = 0;
        for (String line : out.split("\\R")) {
          if (line.startsWith("loads of ")) {
            loads += Long.parseLong(line.substring(line.indexOf('=') + 1).trim());
          }
        }
        return loads;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "the application did not finish its workload\n"
            + Files.readString(ChildJvm.stderrFile(child)));
  }
}
