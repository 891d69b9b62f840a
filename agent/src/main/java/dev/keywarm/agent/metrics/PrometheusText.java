package dev.keywarm.agent.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The meters in the Prometheus text exposition format 0.0.4, named as Micrometer's Prometheus
 * registry names them: dots become underscores, the base unit is appended ({@code _seconds}, {@code
 * _bytes}), a counter ends in {@code _total}, a timer is a summary of {@code _count} and {@code
 * _sum}. One {@code # HELP} and {@code # TYPE} per metric family, every sample of a family
 * together. Label values are escaped ({@code \}, {@code "}, newline), so a key pattern can never
 * break the format.
 */
public final class PrometheusText {

  /** The content type of the format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  public static String render(List<MeterCatalog.Meter> meters) {
    Map<String, List<MeterCatalog.Meter>> families = new LinkedHashMap<>();
    for (MeterCatalog.Meter meter : meters) {
      families.computeIfAbsent(family(meter), f -> new java.util.ArrayList<>()).add(meter);
    }
    StringBuilder out = new StringBuilder(128 * meters.size());
    for (Map.Entry<String, List<MeterCatalog.Meter>> family : families.entrySet()) {
      MeterCatalog.Meter first = family.getValue().get(0);
      String name = family.getKey();
      out.append("# HELP ").append(name).append(' ').append(help(first.description())).append('\n');
      out.append("# TYPE ").append(name).append(' ').append(type(first.type())).append('\n');
      for (MeterCatalog.Meter meter : family.getValue()) {
        String labels = labels(meter.tags());
        if (meter.type() == MeterCatalog.Type.TIMER) {
          sample(out, name + "_count", labels, meter.value().getAsDouble());
          sample(out, name + "_sum", labels, meter.totalSeconds().getAsDouble());
        } else {
          sample(out, name, labels, meter.value().getAsDouble());
        }
      }
    }
    return out.toString();
  }

  /**
   * {@code cache.gets} → {@code cache_gets_total}; {@code cache.load.duration} → {@code …_seconds}.
   */
  static String family(MeterCatalog.Meter meter) {
    StringBuilder name = new StringBuilder();
    for (char c : meter.name().toCharArray()) {
      name.append(Character.isLetterOrDigit(c) ? c : '_');
    }
    if (meter.baseUnit() != null) {
      name.append('_').append(meter.baseUnit());
    }
    if (meter.type() == MeterCatalog.Type.COUNTER) {
      name.append("_total");
    }
    return name.toString();
  }

  private static String type(MeterCatalog.Type type) {
    return switch (type) {
      case COUNTER -> "counter";
      case GAUGE -> "gauge";
      case TIMER -> "summary";
    };
  }

  private static String labels(List<String> tags) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i + 1 < tags.size(); i += 2) {
      if (i > 0) {
        out.append(',');
      }
      out.append(tags.get(i)).append("=\"").append(escape(tags.get(i + 1))).append('"');
    }
    return out.append('}').toString();
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append(labels).append(' ').append(number(value)).append('\n');
  }

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return (long) value + ".0"; // counts: exact, and no Formatter per sample
    }
    return Double.toString(value);
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String help(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
