package dev.keywarm.demo;

/**
 * The three cold restarts the demo compares, in the order they run (see {@link DemoStory} for why
 * that order), with how the report shows each: a short label for progress lines and table headers,
 * a column title, and the chart's line colour.
 */
enum RestartRun {
  ZERO_CODE("zero-code", "keywarm, no loader code", "#2ca02c"),
  LOADERS("loaders", "keywarm, shop's loader", "#1f77b4"),
  COLD("cold", "no warming (cold)", "#d62728");

  private final String label;
  private final String title;
  private final String colour;

  RestartRun(String label, String title, String colour) {
    this.label = label;
    this.title = title;
    this.colour = colour;
  }

  String label() {
    return label;
  }

  String title() {
    return title;
  }

  String colour() {
    return colour;
  }
}
