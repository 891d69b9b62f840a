package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpServer;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OTLP/HTTP export ({@code otlp=…}): the agent of an unmodified application POSTs to {@code
 * /v1/metrics}; every body is parsed by protobuf's strict JSON parser into OpenTelemetry's own
 * {@code ExportMetricsServiceRequest} (an unknown field or a wrong type fails the test), and the
 * cache meters carry the exact counts per key pattern as cumulative monotonic sums. No collector is
 * installable here; the schema is the collector's own.
 */
class OtlpExportIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  @Test
  void exportsParseAsOtlpAndCarryExactCountsPerPattern() throws Exception {
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/metrics",
        exchange -> {
          String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          bodies.add(exchange.getRequestMethod() + " " + contentType + "\n" + body);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    Path stopFile = Files.createTempFile("keywarm-stop", ".flag");
    Files.delete(stopFile);
    String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
    Process child =
        ChildJvm.start(
            "app=it-otlp,redis="
                + STATS.server().uri()
                + ",flush=300ms,micrometer=off,otlp="
                + endpoint
                + ",otlpinterval=500ms",
            ClientLibraries.jedis(),
            List.of(),
            MetricsApp.class,
            CACHE.server().host(),
            Integer.toString(CACHE.server().port()),
            stopFile.toString());
    try {
      Map<String, Double> want =
          Map.of(
              "cache.gets result=hit", 12.0,
              "cache.gets result=miss", 3.0,
              "cache.puts", 4.0,
              "cache.removals", 2.0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Map<String, Double> seen = Map.of();
      while (!seen.entrySet().containsAll(want.entrySet())) {
        String received =
            bodies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (received == null) {
          throw new AssertionError(
              "no export with "
                  + want
                  + "; last seen "
                  + seen
                  + "\n"
                  + Files.readString(ChildJvm.stderrFile(child)));
        }
        String head = received.substring(0, received.indexOf('\n'));
        assertEquals("POST application/json", head);
        ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
        JsonFormat.parser().merge(received.substring(received.indexOf('\n') + 1), request);
        seen = productSums(request.build());
      }
    } finally {
      Files.createFile(stopFile);
      collector.stop(0);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    ChildJvm.Result run = ChildJvm.result(child);
    Files.deleteIfExists(stopFile);
    assertEquals(0, run.exitCode(), run.stderr());
  }

  /** "name [result=…]" → value, for the data points of pattern product:{n}. */
  private static Map<String, Double> productSums(ExportMetricsServiceRequest request) {
    assertEquals(
        "it-otlp",
        request.getResourceMetrics(0).getResource().getAttributesList().stream()
            .filter(a -> a.getKey().equals("service.name"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .getStringValue());
    Map<String, Double> sums = new java.util.TreeMap<>();
    for (Metric metric : request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList()) {
      if (!metric.hasSum()) {
        continue;
      }
      assertTrue(metric.getSum().getIsMonotonic(), metric.getName());
      assertEquals(
          io.opentelemetry.proto.metrics.v1.AggregationTemporality
              .AGGREGATION_TEMPORALITY_CUMULATIVE,
          metric.getSum().getAggregationTemporality(),
          metric.getName());
      for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
        Map<String, String> attributes =
            point.getAttributesList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, a -> a.getValue().getStringValue()));
        if ("product:{n}".equals(attributes.get("pattern"))) {
          assertTrue(point.getTimeUnixNano() >= point.getStartTimeUnixNano());
          String result = attributes.get("result");
          sums.put(
              metric.getName() + (result == null ? "" : " result=" + result), point.getAsDouble());
        }
      }
    }
    return sums;
  }
}
