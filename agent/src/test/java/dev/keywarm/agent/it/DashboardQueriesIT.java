package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.LocalTools;
import dev.keywarm.testsupport.RedisServer;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard ({@code docs/grafana/keywarm-cache.json}) against a real Prometheus server:
 * Prometheus scrapes the agent's built-in endpoint of a running application every second, and every
 * query of every panel — with {@code $cache} and {@code $__rate_interval} filled in as Grafana
 * would — must parse and return data: at least one series, finite values, a hit rate between 0 and
 * 1 for each of the application's two patterns. No Grafana is installable here; its queries are
 * what a dashboard can get wrong. Needs the {@code prometheus} binary (Debian's package); without
 * it the test says so and is skipped.
 */
class DashboardQueriesIT {

  private static final String APP = "it-dashboard";

  @Test
  void everyPanelQueryReturnsDataFromARealPrometheus() throws Exception {
    File prometheus = LocalTools.onPath("prometheus");
    Assumptions.assumeTrue(
        prometheus != null, "prometheus not installed (apt-get install prometheus): skipped");
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(Path.of("..", "docs", "grafana", "keywarm-cache.json").toFile());
    int agentPort = LocalTools.freePort();
    int prometheusPort = LocalTools.freePort();
    Path dir = Files.createTempDirectory("keywarm-prometheus");
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "scrape_configs:\n  - job_name: keywarm\n    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + agentPort
            + "']\n");
    try (RedisServer stats = RedisServer.start();
        RedisServer cache = RedisServer.start()) {
      Process app =
          ChildJvm.start(
              "app="
                  + APP
                  + ",redis="
                  + stats.uri()
                  + ",flush=1s,prometheus=127.0.0.1:"
                  + agentPort,
              ClientLibraries.jedis(),
              List.of(),
              CacheTrafficApp.class,
              cache.host(),
              Integer.toString(cache.port()),
              "40");
      Process server =
          new ProcessBuilder(
                  prometheus.getPath(),
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + prometheusPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
        do {
          Thread.sleep(2_000);
          failures = checkPanels(http, prometheusPort, dashboard);
        } while (!failures.isEmpty() && System.nanoTime() < deadline && app.isAlive());
        assertTrue(
            failures.isEmpty(),
            String.join("\n", failures) + "\n" + Files.readString(dir.resolve("prometheus.log")));
      } finally {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
        app.destroy();
        app.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Every target of every panel, queried now; what is wrong with each, if anything. */
  private static List<String> checkPanels(HttpClient http, int port, JsonNode dashboard)
      throws Exception {
    List<String> failures = new ArrayList<>();
    int queries = 0;
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        queries++;
        String expr =
            target.get("expr").asText().replace("$cache", APP).replace("$__rate_interval", "10s");
        JsonNode answer = query(http, port, expr);
        String where = panel.get("title").asText() + " [" + target.get("refId").asText() + "] ";
        if (!"success".equals(answer.path("status").asText())) {
          failures.add(where + "failed: " + answer);
          continue;
        }
        JsonNode series = answer.path("data").path("result");
        if (series.isEmpty()) {
          failures.add(where + "no data: " + expr);
        }
        for (JsonNode s : series) {
          double value = Double.parseDouble(s.path("value").get(1).asText());
          if (!Double.isFinite(value)) {
            failures.add(where + "not a number for " + s.path("metric") + ": " + value);
          }
          if (panel.get("id").asInt() == 1 && (value < 0 || value > 1)) {
            failures.add(where + "hit rate out of range: " + value);
          }
        }
        if (panel.get("id").asInt() == 1
            && !series
                .findValuesAsText("pattern")
                .containsAll(List.of("product:{n}", "session:{hex}"))) {
          failures.add(where + "expected both patterns, got " + series);
        }
      }
    }
    assertEquals(11, queries, "targets in the dashboard");
    return failures;
  }

  private static JsonNode query(HttpClient http, int port, String expr) throws Exception {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port
                              + "/api/v1/query?query="
                              + URLEncoder.encode(expr, StandardCharsets.UTF_8)))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new ObjectMapper().readTree(response.body());
    } catch (java.io.IOException e) {
      return new ObjectMapper().createObjectNode().put("status", "unreachable: " + e);
    }
  }

  @Test
  void theDashboardIsGrafanaJsonWithAPrometheusDatasourceVariable() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(Path.of("..", "docs", "grafana", "keywarm-cache.json").toFile());
    assertEquals("keywarm-cache", dashboard.get("uid").asText());
    assertFalse(dashboard.get("panels").isEmpty());
    for (JsonNode panel : dashboard.get("panels")) {
      assertEquals(
          "${datasource}", panel.path("datasource").path("uid").asText(), panel.toString());
    }
  }
}
