package dev.keywarm.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs {@link ShopApp} in its own JVM with {@code -javaagent}, as a user would, reads its
 * one-a-second tick lines and shows them as progress, with the agent's lines about warming and the
 * snapshot (stamped with the time since the last tick); after each tick it calls back, so that the
 * demo can read the cache Redis's counters or restart it at a given second and the shop measures
 * what follows.
 */
final class ShopRun {

  /** Cumulative counts at the end of one second of the shop's run. */
  record Tick(
      int second, long reads, long hits, long errors, long queries, long rows, long warmRows) {}

  /** What one run printed: its ticks and every line of the agent's ({@code [keywarm] ...}). */
  record Output(List<Tick> ticks, List<String> agentLines) {

    private static final Pattern RESTORED =
        Pattern.compile("restored (\\d+) keys from the snapshot");
    private static final Pattern SNAPSHOT_READ =
        Pattern.compile("snapshot: read (\\d+) keys \\((\\d+) bytes\\)");

    /** Keys the runner restored from the snapshot, from its log lines; 0 without one. */
    long restoredFromSnapshot() {
      long restored = 0;
      for (String line : agentLines) {
        Matcher m = RESTORED.matcher(line);
        if (m.find()) {
          restored += Long.parseLong(m.group(1));
        }
      }
      return restored;
    }

    /**
     * Value bytes per key the snapshot read over the whole run, from the agent's line when it stops
     * ({@code snapshot: read N keys (B bytes) ...}); -1 without that line.
     */
    double snapshotBytesPerKey() {
      for (String line : agentLines) {
        Matcher m = SNAPSHOT_READ.matcher(line);
        if (m.find() && Long.parseLong(m.group(1)) > 0) {
          return (double) Long.parseLong(m.group(2)) / Long.parseLong(m.group(1));
        }
      }
      return -1;
    }
  }

  private static final Pattern SHOWN =
      Pattern.compile(".*(warming|warm |restarted|snapshot|restored|loader).*");

  private static final Pattern TICK =
      Pattern.compile(
          "tick (\\d+) reads=(\\d+) hits=(\\d+) errors=(\\d+) queries=(\\d+) rows=(\\d+) warmrows=(\\d+)");

  private final Path agentJar;
  private final String cacheHost;
  private final int cachePort;
  private final int threads;
  private final long hourMillis;
  private final String client;

  ShopRun(
      Path agentJar, String cacheHost, int cachePort, int threads, long hourMillis, String client) {
    this.agentJar = agentJar;
    this.cacheHost = cacheHost;
    this.cachePort = cachePort;
    this.threads = threads;
    this.hourMillis = hourMillis;
    this.client = client;
  }

  /**
   * Runs the shop for {@code seconds}; calls {@code afterSecond} with each tick's second as soon as
   * that tick arrived. Returns every tick and the agent's lines.
   */
  Output run(
      String label, String agentArgs, List<String> jvmOptions, int seconds, IntConsumer afterSecond)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(javaBinary(), "-javaagent:" + agentJar + "=" + agentArgs));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            classPath(),
            ShopApp.class.getName(),
            cacheHost,
            Integer.toString(cachePort),
            Integer.toString(seconds),
            Integer.toString(threads),
            Long.toString(hourMillis),
            client));
    Process shop = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<Tick> ticks = new ArrayList<>();
    List<String> agentLines = new ArrayList<>();
    long lastTickNanos = System.nanoTime();
    Tick previous = new Tick(0, 0, 0, 0, 0, 0, 0);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(shop.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        Matcher m = TICK.matcher(line);
        if (!m.matches()) {
          if (line.startsWith("[keywarm]")) {
            agentLines.add(line);
            if (SHOWN.matcher(line).matches()) { // the agent's own word on what it does
              System.out.printf(
                  Locale.ROOT,
                  "    tick %d + %.2f s: %s%n",
                  previous.second(),
                  (System.nanoTime() - lastTickNanos) / 1e9,
                  line.trim());
            }
          }
          continue;
        }
        Tick tick =
            new Tick(
                Integer.parseInt(m.group(1)),
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7)));
        ticks.add(tick);
        lastTickNanos = System.nanoTime();
        long reads = tick.reads() - previous.reads();
        System.out.printf(
            "  %-9s %3d s  %,7d reads  hit rate %5.1f %%  db %,5d queries/s %,6d rows/s%s%n",
            label,
            tick.second(),
            reads,
            reads == 0 ? 0.0 : 100.0 * (tick.hits() - previous.hits()) / reads,
            tick.queries() - previous.queries(),
            tick.rows() - previous.rows(),
            tick.warmRows() > previous.warmRows()
                ? String.format("  (%,d rows by keywarm)", tick.warmRows() - previous.warmRows())
                : "");
        previous = tick;
        afterSecond.accept(tick.second());
      }
    }
    int exit = shop.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("the shop exited with " + exit);
    }
    return new Output(ticks, agentLines);
  }

  /**
   * Our own class path minus the agent (a provided dependency in tests): the agent comes by
   * -javaagent only.
   */
  static String classPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("keywarm-agent"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
