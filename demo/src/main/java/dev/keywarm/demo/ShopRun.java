package dev.keywarm.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs {@link ShopApp} in its own JVM with {@code -javaagent}, as a user would, reads its
 * one-a-second tick lines and shows them as progress; optionally does something (restart the cache)
 * right after a given second, so that the shop measures what follows.
 */
final class ShopRun {

  /** Cumulative counts at the end of one second of the shop's run. */
  record Tick(
      int second, long reads, long hits, long errors, long queries, long rows, long warmRows) {}

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
   * Runs the shop for {@code seconds}; calls {@code afterSecond} once the tick of second {@code
   * actionAt} arrived (0: never). Returns every tick.
   */
  List<Tick> run(
      String label,
      String agentArgs,
      List<String> jvmOptions,
      int seconds,
      int actionAt,
      Runnable afterSecond)
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
    Tick previous = new Tick(0, 0, 0, 0, 0, 0, 0);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(shop.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        Matcher m = TICK.matcher(line);
        if (!m.matches()) {
          if (line.startsWith("[keywarm]") && line.matches(".*(warming|warm |restarted).*")) {
            System.out.println("    " + line.trim()); // the agent's own word on what it does
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
        long reads = tick.reads() - previous.reads();
        System.out.printf(
            "  %-7s %3d s  %,7d reads  hit rate %5.1f %%  db %,5d queries/s %,6d rows/s%s%n",
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
        if (tick.second() == actionAt) {
          afterSecond.run();
        }
      }
    }
    int exit = shop.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("the shop exited with " + exit);
    }
    return ticks;
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
