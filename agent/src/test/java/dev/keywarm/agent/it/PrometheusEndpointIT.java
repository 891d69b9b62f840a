package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.LocalTools;
import dev.keywarm.testsupport.RedisServerExtension;
import dev.keywarm.testsupport.ScrapedSamples;
import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The built-in Prometheus endpoint ({@code prometheus=<port>}) of an unmodified application: exact
 * {@code cache_gets_total}, {@code cache_puts_total}, {@code cache_removals_total} and {@code
 * cache_load_duration_seconds_count} per key pattern, and a body that Prometheus's own {@code
 * promtool check metrics} accepts (when promtool is installed: Debian's {@code prometheus} package;
 * otherwise that one check is reported as skipped in the output, the counts still are checked).
 */
class PrometheusEndpointIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  @Test
  void exactCountsPerPatternInAFormatPrometheusAccepts() throws Exception {
    int port = LocalTools.freePort();
    Path stopFile = Files.createTempFile("keywarm-stop", ".flag");
    Files.delete(stopFile);
    Process child =
        ChildJvm.start(
            "app=it-metrics,redis="
                + STATS.server().uri()
                + ",flush=300ms,prometheus=127.0.0.1:"
                + port,
            ClientLibraries.jedis(),
            List.of(),
            MetricsApp.class,
            CACHE.server().host(),
            Integer.toString(CACHE.server().port()),
            stopFile.toString());
    String body;
    try {
      String product = "cache=\"it-metrics\",pattern=\"product:{n}\"";
      Map<String, String> want = new TreeMap<>();
      want.put("cache_gets_total{" + product + ",result=\"hit\"}", "12.0");
      want.put("cache_gets_total{" + product + ",result=\"miss\"}", "3.0");
      want.put("cache_puts_total{" + product + "}", "4.0");
      want.put("cache_removals_total{" + product + "}", "2.0");
      want.put("cache_load_duration_seconds_count{" + product + "}", "3.0");
      want.put(
          "cache_gets_total{cache=\"it-metrics\",pattern=\"user:\\\"quoted\\\\name\\\"\","
              + "result=\"miss\"}",
          "1.0");
      HttpResponse<String> scrape =
          ScrapedSamples.await(child, URI.create("http://127.0.0.1:" + port + "/metrics"), want);
      assertEquals(
          "text/plain; version=0.0.4; charset=utf-8",
          scrape.headers().firstValue("Content-Type").orElse(""));
      body = scrape.body();
      double loadSeconds =
          Double.parseDouble(
              ScrapedSamples.of(body).get("cache_load_duration_seconds_sum{" + product + "}"));
      assertTrue(loadSeconds >= 0.015 && loadSeconds < 5, "3 loads of >= 5 ms: " + loadSeconds);
      assertTrue(body.contains("# TYPE cache_gets_total counter"), body);
      assertTrue(body.contains("keywarm_events_lost_total{cache=\"it-metrics\"} 0.0"), body);
    } finally {
      Files.createFile(stopFile);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(stopFile);
    assertEquals(0, run.exitCode(), run.stderr());
    promtoolAccepts(body);
  }

  /** Prometheus's own parser and linter over the scraped body. */
  private static void promtoolAccepts(String body) throws Exception {
    File promtool = LocalTools.onPath("promtool");
    if (promtool == null) {
      System.out.println("promtool not installed: the format check by Prometheus was skipped");
      return;
    }
    Process check =
        new ProcessBuilder(promtool.getPath(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    check.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    check.getOutputStream().close();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, check.exitValue(), "promtool check metrics:\n" + output + "\n" + body);
  }
}
