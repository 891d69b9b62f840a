package dev.keywarm.testsupport;

import java.util.Map;
import java.util.TreeMap;

/** A Prometheus text scrape as sample (name and labels, as written) → value text. */
public final class ScrapedSamples {

  private ScrapedSamples() {}

  public static Map<String, String> of(String body) {
    Map<String, String> samples = new TreeMap<>();
    for (String line : body.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    return samples;
  }
}
