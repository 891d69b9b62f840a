package dev.keywarm.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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

  /**
   * Scrapes {@code url} (served by {@code child}) until every wanted sample has exactly its value
   * text (meters follow flush windows, so the first scrapes may be behind) and returns that
   * response; fails after 30 s with what was wanted, the last scrape's {@code cache_}/{@code
   * keywarm} lines and the child's log.
   */
  public static HttpResponse<String> await(Process child, URI url, Map<String, String> want)
      throws IOException, InterruptedException {
    return await(
        child,
        url,
        seen -> want.entrySet().stream().allMatch(w -> w.getValue().equals(seen.get(w.getKey()))),
        want.toString());
  }

  /**
   * The same with any condition on the scraped samples; {@code wanted} says what it waits for when
   * it fails.
   */
  public static HttpResponse<String> await(
      Process child, URI url, Predicate<Map<String, String>> ready, String wanted)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String body = "";
    while (System.nanoTime() < deadline && child.isAlive()) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        body = response.body();
        if (response.statusCode() == 200) {
          if (ready.test(of(body))) {
            return response;
          }
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "wanted "
            + wanted
            + "\nlast scrape (cache and keywarm lines):\n"
            + Arrays.stream(body.split("\n"))
                .filter(l -> l.contains("cache_") || l.contains("keywarm"))
                .collect(Collectors.joining("\n"))
            + "\n"
            + Files.readString(ChildJvm.stderrFile(child)));
  }
}
