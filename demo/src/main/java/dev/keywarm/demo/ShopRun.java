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
import org.HdrHistogram.Histogram;

/**
 * Runs {@link ShopApp} in its own JVM with {@code -javaagent}, as a user would, reads its
 * one-a-second tick lines and shows them as progress, with the agent's lines about warming and the
 * snapshot (stamped with the time since the last tick); after each tick it calls back, so that the
 * demo can read the cache Redis's counters or restart it at a given second and the shop measures
 * what follows.
 */
final class ShopRun {

  /**
   * Cumulative counts at the end of one second of the shop's run, with that second's own peak of
   * queries waiting for a database connection and its request latencies.
   */
  record Tick(
      int second,
      long requests,
      long served,
      long timeouts,
      long errors,
      long reads,
      long hits,
      long queries,
      long rows,
      long warmRows,
      long dbWait,
      long hotReads,
      long hotMisses,
      long dealReads,
      long dealMisses,
      Histogram latency) {

    static Tick zero() {
      return new Tick(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, LatencyLog.empty());
    }
  }

  /** What one run printed: its ticks and every line of the agent's ({@code [keywarm] ...}). */
  record Output(List<Tick> ticks, List<String> agentLines, double admittedAtSecond) {

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
      Pattern.compile(".*(warming|warm |restarted|snapshot|restored|loader|next-hour).*");

  private static final Pattern TICK =
      Pattern.compile(
          "tick (\\d+) requests=(\\d+) served=(\\d+) timeouts=(\\d+) errors=(\\d+) reads=(\\d+)"
              + " hits=(\\d+) queries=(\\d+) rows=(\\d+) warmrows=(\\d+) dbwait=(\\d+)"
              + " hotreads=(\\d+) hotmisses=(\\d+) dealreads=(\\d+) dealmisses=(\\d+)"
              + " latency=(\\S+)");

  private final Path agentJar;
  private final String cacheHost;
  private final int cachePort;
  private final double rate;
  private final long hourMillis;
  private final String client;

  ShopRun(
      Path agentJar, String cacheHost, int cachePort, double rate, long hourMillis, String client) {
    this.agentJar = agentJar;
    this.cacheHost = cacheHost;
    this.cachePort = cachePort;
    this.rate = rate;
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
    return run(label, agentArgs, jvmOptions, seconds, null, afterSecond);
  }

  /**
   * The same, with traffic gated on {@code gate} (keywarm's readiness file; null: not gated), and
   * the second (with its fraction) at which traffic was admitted.
   */
  Output run(
      String label,
      String agentArgs,
      List<String> jvmOptions,
      int seconds,
      Path gate,
      IntConsumer afterSecond)
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
            Double.toString(rate),
            Long.toString(hourMillis),
            client));
    if (gate != null) {
      command.add(gate.toString());
    }
    Process shop = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<Tick> ticks = new ArrayList<>();
    List<String> agentLines = new ArrayList<>();
    long lastTickNanos = System.nanoTime();
    Tick previous = Tick.zero();
    double admittedAt = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(shop.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        Matcher m = TICK.matcher(line);
        if (!m.matches()) {
          if (line.startsWith("traffic admitted")) {
            admittedAt = previous.second() + (System.nanoTime() - lastTickNanos) / 1e9;
            System.out.printf(Locale.ROOT, "    %.2f s: %s%n", admittedAt, line);
          }
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
                Long.parseLong(m.group(7)),
                Long.parseLong(m.group(8)),
                Long.parseLong(m.group(9)),
                Long.parseLong(m.group(10)),
                Long.parseLong(m.group(11)),
                Long.parseLong(m.group(12)),
                Long.parseLong(m.group(13)),
                Long.parseLong(m.group(14)),
                Long.parseLong(m.group(15)),
                LatencyLog.decode(m.group(16)));
        ticks.add(tick);
        lastTickNanos = System.nanoTime();
        long reads = tick.reads() - previous.reads();
        System.out.printf(
            Locale.ROOT,
            "  %-9s %3d s  %,6d req  hit rate %5.1f %%  p99 %7.1f ms  %,5d timeouts  %,5d errors"
                + "  db %,5d queries/s%s%n",
            label,
            tick.second(),
            tick.requests() - previous.requests(),
            reads == 0 ? 0.0 : 100.0 * (tick.hits() - previous.hits()) / reads,
            tick.latency().getValueAtPercentile(99) / 1000.0,
            tick.timeouts() - previous.timeouts(),
            tick.errors() - previous.errors(),
            tick.queries() - previous.queries(),
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
    return new Output(ticks, agentLines, admittedAt);
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
