package dev.keywarm.agent.metrics;

import dev.keywarm.agent.log.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * OTLP/HTTP metrics export ({@code otlp=http://collector:4318}): every {@code interval}, a POST of
 * {@link OtlpJson} to {@code <endpoint>/v1/metrics} ({@code Content-Type: application/json}),
 * cumulative, so a lost export loses nothing but its point in time. One daemon thread; {@link
 * HttpURLConnection} because the agent's classes on the boot class path cannot see {@code
 * java.net.http}. A failing collector costs one warning line when it starts failing and one when it
 * is back, never the application; the URL is logged without user info.
 */
public final class OtlpExporter {

  private static final int TIMEOUT_MILLIS = 5_000;

  private final URL url;
  private final String shownUrl;
  private final long intervalMillis;
  private final Supplier<String> body;
  private volatile long exports;
  private volatile long failures;

  private OtlpExporter(URI endpoint, long intervalMillis, Supplier<String> body)
      throws IOException {
    String base = endpoint.toString();
    String full = base.endsWith("/v1/metrics") ? base : base.replaceAll("/+$", "") + "/v1/metrics";
    this.url = URI.create(full).toURL();
    this.shownUrl = full.replaceAll("//[^@/]*@", "//"); // user info never reaches the log
    this.intervalMillis = intervalMillis;
    this.body = body;
  }

  /** Starts exporting; a malformed endpoint is one error line and no exporter (null). */
  public static OtlpExporter start(String endpoint, long intervalMillis, Supplier<String> body) {
    try {
      OtlpExporter exporter = new OtlpExporter(URI.create(endpoint), intervalMillis, body);
      Thread thread = new Thread(exporter::run, "keywarm-otlp");
      thread.setDaemon(true);
      thread.start();
      AgentLog.info(
          "metrics: OTLP export to " + exporter.shownUrl + " every " + intervalMillis + " ms");
      return exporter;
    } catch (IOException | IllegalArgumentException e) {
      AgentLog.error("metrics: no OTLP export, bad endpoint: " + e.getMessage());
      return null;
    }
  }

  private void run() {
    boolean failing = false;
    while (true) {
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
      try {
        int status = post(body.get().getBytes(StandardCharsets.UTF_8));
        if (status / 100 != 2) {
          throw new IOException("HTTP " + status);
        }
        exports++;
        if (failing) {
          failing = false;
          AgentLog.info("metrics: OTLP export to " + shownUrl + " works again");
        }
      } catch (IOException | RuntimeException e) {
        failures++;
        if (!failing) {
          failing = true;
          AgentLog.warn(
              "metrics: OTLP export to "
                  + shownUrl
                  + " failed ("
                  + e
                  + "); retrying every interval");
        }
      }
    }
  }

  private int post(byte[] content) throws IOException {
    HttpURLConnection http = (HttpURLConnection) url.openConnection();
    try {
      http.setConnectTimeout(TIMEOUT_MILLIS);
      http.setReadTimeout(TIMEOUT_MILLIS);
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty("Content-Type", "application/json");
      http.setFixedLengthStreamingMode(content.length);
      try (OutputStream out = http.getOutputStream()) {
        out.write(content);
      }
      int status = http.getResponseCode();
      try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
        if (in != null) {
          in.readAllBytes(); // let the connection be reused
        }
      }
      return status;
    } finally {
      if (TimeUnit.MILLISECONDS.toSeconds(intervalMillis) > 60) {
        http.disconnect(); // rare exports: no idle connection kept
      }
    }
  }

  public long exports() {
    return exports;
  }

  public long failures() {
    return failures;
  }
}
