package dev.keywarm.agent.metrics;

import java.util.List;

/**
 * The meters as an OTLP {@code ExportMetricsServiceRequest} in the OTLP/HTTP JSON encoding
 * (opentelemetry-proto {@code metrics/v1}, lowerCamelCase fields, 64-bit integers as strings, enums
 * as integers): one resource ({@code service.name} = the app), one scope ({@code dev.keywarm}),
 * counters as cumulative monotonic sums, gauges as gauges, timers as summaries (count and sum).
 * Names and attributes are the Micrometer ones ({@link MeterCatalog}); units are UCUM ({@code s},
 * {@code By}).
 */
public final class OtlpJson {

  /** {@code AGGREGATION_TEMPORALITY_CUMULATIVE}. */
  private static final int CUMULATIVE = 2;

  private OtlpJson() {}

  public static String render(
      String serviceName, List<MeterCatalog.Meter> meters, long startNanos, long nowNanos) {
    StringBuilder json = new StringBuilder(256 + 256 * meters.size());
    json.append("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[");
    attribute(json, "service.name", serviceName);
    json.append("]},\"scopeMetrics\":[{\"scope\":{\"name\":\"dev.keywarm\"},\"metrics\":[");
    for (int i = 0; i < meters.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      metric(json, meters.get(i), startNanos, nowNanos);
    }
    return json.append("]}]}]}").toString();
  }

  private static void metric(
      StringBuilder json, MeterCatalog.Meter meter, long startNanos, long nowNanos) {
    json.append("{\"name\":");
    string(json, meter.name());
    json.append(",\"description\":");
    string(json, meter.description());
    String unit = unit(meter.baseUnit());
    if (unit != null) {
      json.append(",\"unit\":");
      string(json, unit);
    }
    switch (meter.type()) {
      case COUNTER -> {
        json.append(",\"sum\":{\"aggregationTemporality\":")
            .append(CUMULATIVE)
            .append(",\"isMonotonic\":true,\"dataPoints\":[");
        point(json, meter, startNanos, nowNanos);
        json.append(".0}]}");
      }
      case GAUGE -> {
        json.append(",\"gauge\":{\"dataPoints\":[");
        point(json, meter, startNanos, nowNanos);
        json.append("}]}");
      }
      case TIMER -> {
        json.append(",\"summary\":{\"dataPoints\":[{\"attributes\":[");
        attributes(json, meter.tags());
        json.append("],\"startTimeUnixNano\":\"")
            .append(startNanos)
            .append("\",\"timeUnixNano\":\"")
            .append(nowNanos)
            .append("\",\"count\":\"")
            .append((long) meter.value().getAsDouble())
            .append("\",\"sum\":")
            .append(number(meter.totalSeconds().getAsDouble()))
            .append("}]}");
      }
    }
    json.append('}');
  }

  /** A number data point up to its value (a counter's value is whole: ".0" follows). */
  private static void point(
      StringBuilder json, MeterCatalog.Meter meter, long startNanos, long nowNanos) {
    json.append("{\"attributes\":[");
    attributes(json, meter.tags());
    json.append("],\"startTimeUnixNano\":\"")
        .append(startNanos)
        .append("\",\"timeUnixNano\":\"")
        .append(nowNanos)
        .append("\",\"asDouble\":");
    double value = meter.value().getAsDouble();
    json.append(
        meter.type() == MeterCatalog.Type.COUNTER ? Long.toString((long) value) : number(value));
  }

  private static void attributes(StringBuilder json, List<String> tags) {
    for (int i = 0; i + 1 < tags.size(); i += 2) {
      if (i > 0) {
        json.append(',');
      }
      attribute(json, tags.get(i), tags.get(i + 1));
    }
  }

  private static void attribute(StringBuilder json, String key, String value) {
    json.append("{\"key\":");
    string(json, key);
    json.append(",\"value\":{\"stringValue\":");
    string(json, value);
    json.append("}}");
  }

  private static String unit(String baseUnit) {
    if (baseUnit == null) {
      return null;
    }
    return switch (baseUnit) {
      case "seconds" -> "s";
      case "bytes" -> "By";
      default -> baseUnit;
    };
  }

  private static String number(double value) {
    return Double.isFinite(value) ? Double.toString(value) : "0.0";
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped. */
  static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
