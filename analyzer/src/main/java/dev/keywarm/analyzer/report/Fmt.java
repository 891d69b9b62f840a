package dev.keywarm.analyzer.report;

import java.util.Locale;

/** Number formats shared by the text and HTML reports. */
final class Fmt {

  private Fmt() {}

  static String count(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
    }
    return String.format(Locale.ROOT, "%,.1f", v);
  }

  static String pct(Double share) {
    return share == null || share.isNaN() ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  static String num(double v, int decimals) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** Ratios such as lift: two decimals when small, whole and grouped when large. */
  static String ratio(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  static String bytes(Long v) {
    if (v == null) {
      return "unknown";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double x = v;
    int u = 0;
    while (x >= 1024 && u < units.length - 1) {
      x /= 1024;
      u++;
    }
    return u == 0 ? v + " B" : String.format(Locale.ROOT, "%.1f %s", x, units[u]);
  }

  static String ms(Double v) {
    if (v == null || v.isNaN()) {
      return "–";
    }
    if (v >= 60_000) {
      return String.format(Locale.ROOT, "%.1f min", v / 60_000);
    }
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%.1f s", v / 1000);
    }
    return String.format(Locale.ROOT, "%.2f ms", v);
  }

  /**
   * A TTL in its largest unit with at most one decimal: 250 ms, 45 s, 10 min, 1.5 h, 23.9 h, 2 d;
   * -1 (none) is "none". Unlike {@link #ms} (load times, where the decimals matter), TTLs are round
   * figures an application chose, read at a glance.
   */
  static String ttl(Long millis) {
    if (millis == null) {
      return "–";
    }
    if (millis < 0) {
      return "none";
    }
    long[] units = {86_400_000, 3_600_000, 60_000, 1_000, 1};
    String[] names = {"d", "h", "min", "s", "ms"};
    int u = 0;
    while (u < units.length - 1 && millis < units[u]) {
      u++;
    }
    String value = String.format(Locale.ROOT, "%.1f", millis / (double) units[u]);
    return (value.endsWith(".0") ? value.substring(0, value.length() - 2) : value) + " " + names[u];
  }

  static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
