package dev.keywarm.demo;

import java.util.List;

/**
 * One of the runs the demo compares, and how the report shows it: a short label for progress lines
 * and table headers, a column title, and the chart's line colour.
 */
record RunKind(String label, String title, String colour) {

  /** The cold restarts of the cache ({@link DemoStory}), in the order they run (see there why). */
  static final RunKind ZERO_CODE = new RunKind("zero-code", "keywarm, no loader code", "#2ca02c");

  static final RunKind LOADERS = new RunKind("loaders", "keywarm, shop's loader", "#1f77b4");
  static final RunKind COLD = new RunKind("cold", "no warming (cold)", "#d62728");
  static final List<RunKind> RESTARTS = List.of(ZERO_CODE, LOADERS, COLD);

  /**
   * A new application JVM against a brand-new empty cache ({@link NewEnvironment}): traffic at
   * once, or only once keywarm's readiness says the warm reached its target.
   */
  static final RunKind UNGATED = new RunKind("ungated", "traffic at once", "#d62728");

  static final RunKind GATED = new RunKind("gated", "traffic gated on readiness", "#2ca02c");
}
