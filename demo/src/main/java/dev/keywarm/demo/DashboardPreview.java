package dev.keywarm.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A preview of the Grafana dashboard ({@code docs/grafana/keywarm-cache.json}) without Grafana
 * (none is installable here): {@link DashboardTraffic} runs with the agent and its built-in
 * Prometheus endpoint, a real Prometheus server scrapes it every second, the cache is flushed half
 * way (a cold cache, as after a restart), and every panel's queries are evaluated over the run with
 * Prometheus's {@code query_range} — the same queries Grafana sends — and drawn as SVG into {@code
 * dashboard-preview.html}; with Chromium on the PATH also {@code dashboard-preview.png}.
 *
 * <pre>
 * java -jar demo/target/keywarm-demo.jar --dashboard-preview [--seconds 90] [--out DIR]
 * </pre>
 *
 * Needs the {@code prometheus} binary on the PATH (Debian's {@code prometheus} package).
 */
final class DashboardPreview {

  private static final String APP = "shop";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"
  };

  private DashboardPreview() {}

  static void main(Path agentJar, Path outDir, int seconds) throws Exception {
    File prometheus = LocalTools.onPath("prometheus");
    if (prometheus == null) {
      System.err.println("prometheus not found on the PATH (apt-get install prometheus)");
      System.exit(2);
    }
    JsonNode dashboard = JSON.readTree(dashboardFile().toFile());
    Path work = Files.createTempDirectory("keywarm-preview");
    int agentPort = LocalTools.freePort();
    int promPort = LocalTools.freePort();
    Files.writeString(
        work.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: shop\n"
            + "    static_configs:\n      - targets: ['127.0.0.1:"
            + agentPort
            + "']\n");
    try (RedisServer cache = RedisServer.start();
        RedisServer stats = RedisServer.start()) {
      Process server =
          new ProcessBuilder(
                  prometheus.getPath(),
                  "--config.file=" + work.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + work.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("prometheus.log").toFile())
              .start();
      List<String> command =
          List.of(
              ShopRun.javaBinary(),
              "-javaagent:"
                  + agentJar
                  + "=app="
                  + APP
                  + ",redis="
                  + stats.uri()
                  + ",flush=1s,prometheus=127.0.0.1:"
                  + agentPort,
              "-cp",
              ShopRun.classPath(),
              DashboardTraffic.class.getName(),
              cache.host(),
              Integer.toString(cache.port()),
              Integer.toString(seconds));
      Process app =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("app.log").toFile())
              .start();
      long start = System.currentTimeMillis() / 1000;
      System.out.println("running " + seconds + " s of traffic; the cache is flushed half way");
      Thread.sleep(seconds * 500L);
      try (Jedis admin = new Jedis(cache.host(), cache.port())) {
        admin.flushAll();
      }
      app.waitFor(seconds + 30L, TimeUnit.SECONDS);
      Thread.sleep(2_000); // the last scrape
      long end = System.currentTimeMillis() / 1000;
      String html = render(dashboard, promPort, start, end);
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      Files.createDirectories(outDir);
      Path page = outDir.resolve("dashboard-preview.html");
      Files.writeString(page, html);
      System.out.println("wrote " + page);
      File chromium = LocalTools.onPath("chromium");
      if (chromium != null) {
        Path png = outDir.resolve("dashboard-preview.png").toAbsolutePath();
        Process shot =
            new ProcessBuilder(
                    chromium.getPath(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--hide-scrollbars",
                    "--user-data-dir=" + work.resolve("chromium"),
                    "--window-size=1400,1180",
                    "--screenshot=" + png,
                    page.toAbsolutePath().toUri().toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("chromium.log").toFile())
                .start();
        shot.waitFor(60, TimeUnit.SECONDS);
        System.out.println(Files.exists(png) ? "wrote " + png : "no screenshot (see chromium.log)");
      }
    }
  }

  /** The dashboard as HTML: each panel's queries over [start, end], drawn where Grafana would. */
  private static String render(JsonNode dashboard, int port, long start, long end)
      throws Exception {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
        .append(escape(dashboard.get("title").asText()))
        .append(
            "</title><style>body{font:13px sans-serif;background:#111217;color:#ccccdc;margin:12px}")
        .append(".grid{position:relative;width:1376px;height:1100px}")
        .append(
            ".panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:2px;")
        .append("box-sizing:border-box;padding:6px 8px}.panel h3{margin:0 0 4px;font-size:13px}")
        .append(".legend{font-size:11px}.stat{font-size:34px;color:#73bf69;margin-top:18px}")
        .append("</style></head><body><h2>")
        .append(escape(dashboard.get("title").asText()))
        .append(" — preview: Prometheus query_range of every panel, app=")
        .append(APP)
        .append(", cache flushed half way</h2><div class=\"grid\">");
    double unitX = 1376.0 / 24;
    double unitY = 44;
    for (JsonNode panel : dashboard.get("panels")) {
      JsonNode pos = panel.get("gridPos");
      double x = pos.get("x").asInt() * unitX;
      double y = pos.get("y").asInt() * unitY;
      double w = pos.get("w").asInt() * unitX - 6;
      double h = pos.get("h").asInt() * unitY - 6;
      html.append(
          String.format(
              Locale.ROOT,
              "<div class=\"panel\" style=\"left:%.0fpx;top:%.0fpx;width:%.0fpx;height:%.0fpx\"><h3>%s</h3>",
              x,
              y,
              w,
              h,
              escape(panel.get("title").asText())));
      List<Series> series = new ArrayList<>();
      for (JsonNode target : panel.get("targets")) {
        String expr =
            target.get("expr").asText().replace("$cache", APP).replace("$__rate_interval", "10s");
        JsonNode result = queryRange(port, expr, start, end).path("data").path("result");
        for (JsonNode s : result) {
          String legend = target.path("legendFormat").asText("");
          var fields = s.path("metric").fields();
          while (fields.hasNext()) {
            var f = fields.next();
            legend = legend.replace("{{" + f.getKey() + "}}", f.getValue().asText());
          }
          List<double[]> points = new ArrayList<>();
          for (JsonNode v : s.path("values")) {
            double value = Double.parseDouble(v.get(1).asText());
            if (Double.isFinite(value)) {
              points.add(new double[] {v.get(0).asDouble(), value});
            }
          }
          series.add(new Series(legend, points));
        }
      }
      String unit = panel.path("fieldConfig").path("defaults").path("unit").asText("");
      if (panel.get("type").asText().equals("stat")) {
        for (Series s : series) {
          double last = s.points.isEmpty() ? 0 : s.points.get(s.points.size() - 1)[1];
          html.append("<div class=\"stat\">")
              .append(format(last, unit))
              .append(" <span class=\"legend\">")
              .append(escape(s.name))
              .append("</span></div>");
        }
      } else {
        html.append(chart(series, w - 16, h - 64, start, end, unit));
      }
      html.append("</div>");
    }
    return html.append("</div></body></html>").toString();
  }

  private record Series(String name, List<double[]> points) {}

  private static String chart(
      List<Series> series, double width, double height, long start, long end, String unit) {
    double max = 0;
    for (Series s : series) {
      for (double[] p : s.points) {
        max = Math.max(max, p[1]);
      }
    }
    max = unit.equals("percentunit") ? 1 : max == 0 ? 1 : max * 1.05;
    double left = 54;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg width=\"%.0f\" height=\"%.0f\" font-size=\"10\">",
            width,
            height + 4));
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      double y = height - 14 - (height - 20) * i / 4;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#2c3235\"/>"
                  + "<text x=\"%.0f\" y=\"%.1f\" fill=\"#8e8e8e\" text-anchor=\"end\">%s</text>",
              left,
              width,
              y,
              y,
              left - 4,
              y + 3,
              format(v, unit)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.0f\" y=\"%.0f\" fill=\"#8e8e8e\">0 s</text><text x=\"%.0f\" y=\"%.0f\""
                + " fill=\"#8e8e8e\" text-anchor=\"end\">%d s</text>",
            left,
            height,
            width,
            height,
            end - start));
    int color = 0;
    StringBuilder legend = new StringBuilder("<div class=\"legend\">");
    for (Series s : series) {
      String c = COLORS[color++ % COLORS.length];
      StringBuilder points = new StringBuilder();
      for (double[] p : s.points) {
        double x = left + (width - left) * (p[0] - start) / Math.max(1, end - start);
        double y = height - 14 - (height - 20) * p[1] / max;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
          .append(c)
          .append("\" points=\"")
          .append(points)
          .append("\"/>");
      legend.append("<span style=\"color:").append(c).append("\">━ ").append(escape(s.name));
      legend.append("</span> &nbsp; ");
    }
    return svg.append("</svg>").append(legend).append("</div>").toString();
  }

  private static String format(double v, String unit) {
    return switch (unit) {
      case "percentunit" -> String.format(Locale.ROOT, "%.0f %%", v * 100);
      case "s" ->
          v < 1
              ? String.format(Locale.ROOT, "%.1f ms", v * 1000)
              : String.format(Locale.ROOT, "%.2f s", v);
      default ->
          v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    };
  }

  private static JsonNode queryRange(int port, String expr, long start, long end) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/api/v1/query_range?step=2&start="
                                + start
                                + "&end="
                                + end
                                + "&query="
                                + URLEncoder.encode(expr, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static Path dashboardFile() {
    for (Path p :
        List.of(
            Path.of("docs/grafana/keywarm-cache.json"),
            Path.of("../docs/grafana/keywarm-cache.json"))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "docs/grafana/keywarm-cache.json not found: run from the project root");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
