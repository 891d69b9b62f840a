package dev.keywarm.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the machine's {@code redis-benchmark} against a server, for benchmark commands that compare
 * keywarm's rate with Redis's own in the same run (it must be on the {@code PATH}).
 */
public final class RedisBenchmark {

  private static final Pattern RPS = Pattern.compile(": ([0-9.]+) requests per second");

  private RedisBenchmark() {}

  /**
   * {@code redis-benchmark -h host -p port -q <args>}: the last requests-per-second figure it
   * printed.
   */
  public static double requestsPerSecond(String host, int port, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("redis-benchmark", "-h", host, "-p", Integer.toString(port), "-q"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = String.join("\n", r.lines().toList());
    }
    p.waitFor();
    Matcher m = RPS.matcher(out.replace('\r', '\n'));
    double last = -1;
    while (m.find()) {
      last = Double.parseDouble(m.group(1));
    }
    if (last < 0) {
      throw new IllegalStateException("no rate in redis-benchmark output:\n" + out);
    }
    return last;
  }
}
