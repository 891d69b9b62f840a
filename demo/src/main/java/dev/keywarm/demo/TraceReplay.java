package dev.keywarm.demo;

import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.testsupport.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * How well a plan built from one window of a real trace covers the next window's reads. The first
 * window is replayed through Jedis with the agent attached ({@link TraceReplayApp}), analyzed into
 * a plan as the demo does; the next window is scored from the trace directly, for each K: the share
 * of its reads that go to keywarm's top K, to the naive top K (a flat count of the first window),
 * to the ceiling (the best K keys any plan built from the first window could hold: the next
 * window's own ranking restricted to keys seen in the first) and to the oracle (the next window's
 * own top K).
 *
 * <p>Args: {@code --trace FILE.xz} (repeatable), {@code --window N} (default half the trace),
 * {@code --next-window N} (default the rest), {@code --k 1000,5000,10000}.
 */
final class TraceReplay {

  private TraceReplay() {}

  static void main(Path agentJar, String[] args) throws Exception {
    List<Path> traces = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--trace")) {
        traces.add(Path.of(args[i + 1]));
      }
    }
    int[] ks =
        Arrays.stream(DemoMain.stringArg(args, "--k", "1000,5000,10000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Path outDir =
        Path.of(
            DemoMain.stringArg(
                args, "--out", Files.isDirectory(Path.of("demo/target")) ? "demo/target" : "."));
    // extra args: always servers of our own, so the cache can be flushed between traces
    try (RedisServer cache = RedisServer.start("--save", "");
        RedisServer stats = RedisServer.start("--save", "")) {
      for (Path file : traces) {
        cache.flushAll(); // else a trace hits the keys an earlier one wrote (web07, web12:
        // product:N)
        CacheTrace trace = CacheTrace.read(file);
        int window =
            Math.min(trace.size() - 1, DemoMain.intArg(args, "--window", trace.size() / 2));
        int next =
            Math.min(
                trace.size() - window,
                DemoMain.intArg(args, "--next-window", trace.size() - window));
        System.out.printf(
            "%s: %,d accesses; plan from accesses 1–%,d, scored on the next %,d%n",
            trace.name(), trace.size(), window, next);
        String app = "trace-" + trace.name();
        replay(agentJar, cache, stats, app, file, window);
        System.out.println("  " + RecordedReads.of(stats, app).describe(window));
        AnalyzeStep.Outcome analysis =
            AnalyzeStep.run(stats.uri(), app, Arrays.stream(ks).max().orElse(10_000));
        Path report = outDir.resolve("keywarm-trace-" + trace.name() + ".html").toAbsolutePath();
        Files.createDirectories(outDir);
        Files.writeString(report, analysis.html(), StandardCharsets.UTF_8);
        print(score(trace, window, next, analysis.analysis().plan(), ks));
        System.out.println("  report: " + report);
        System.out.println();
      }
    }
  }

  /** One K: shares of the next window's reads that the four key sets cover. */
  record Row(int k, double keywarm, double naive, double oracle, double ceiling) {}

  static List<Row> score(CacheTrace trace, int window, int next, WarmPlan plan, int[] ks) {
    Map<Integer, int[]> before = counts(trace.ids(), 0, window);
    Map<Integer, int[]> after = counts(trace.ids(), window, window + next);
    List<Integer> naive = ranked(before);
    List<Integer> oracle = ranked(after);
    // no plan from the first window can hold a key it never saw
    List<Integer> ceiling = new ArrayList<>(oracle);
    ceiling.retainAll(before.keySet());
    List<String> planned = new ArrayList<>();
    for (WarmPlan.Entry entry : plan.overall()) {
      planned.add(new String(entry.member(), StandardCharsets.UTF_8));
    }
    Map<String, Integer> nextReads = new HashMap<>();
    after.forEach((id, count) -> nextReads.put(trace.key(id), count[0]));
    List<Row> rows = new ArrayList<>();
    for (int k : ks) {
      long keywarm = 0;
      for (String key : new HashSet<>(planned.subList(0, Math.min(k, planned.size())))) {
        keywarm += nextReads.getOrDefault(key, 0);
      }
      rows.add(
          new Row(
              k,
              (double) keywarm / next,
              share(naive, k, after, next),
              share(oracle, k, after, next),
              share(ceiling, k, after, next)));
    }
    return rows;
  }

  private static void print(List<Row> rows) {
    System.out.printf(
        "  %7s %9s %9s %9s %9s %16s %14s %16s%n",
        "K",
        "keywarm",
        "naive",
        "ceiling",
        "oracle",
        "keywarm/oracle",
        "naive/oracle",
        "ceiling/oracle");
    for (Row row : rows) {
      System.out.printf(
          "  %,7d %8.1f%% %8.1f%% %8.1f%% %8.1f%% %16.3f %14.3f %16.3f%n",
          row.k(),
          100 * row.keywarm(),
          100 * row.naive(),
          100 * row.ceiling(),
          100 * row.oracle(),
          row.keywarm() / row.oracle(),
          row.naive() / row.oracle(),
          row.ceiling() / row.oracle());
    }
  }

  private static void replay(
      Path agentJar, RedisServer cache, RedisServer stats, String app, Path file, int window)
      throws IOException, InterruptedException {
    // flush often and keep every key of a window: the trace's keyspace, not the agent's bounds, is
    // measured
    String agentArgs = "app=" + app + ",redis=" + stats.uri() + ",flush=1s,maxkeys=200000,warm=off";
    Process child =
        new ProcessBuilder(
                ShopRun.javaBinary(),
                "-javaagent:" + agentJar + "=" + agentArgs,
                "-cp",
                ShopRun.classPath(),
                TraceReplayApp.class.getName(),
                cache.host(),
                Integer.toString(cache.port()),
                file.toString(),
                "0",
                Integer.toString(window))
            .inheritIO()
            .start();
    if (child.waitFor() != 0) {
      throw new IllegalStateException("the replay exited with " + child.exitValue());
    }
  }

  private static Map<Integer, int[]> counts(int[] ids, int from, int to) {
    Map<Integer, int[]> counts = new HashMap<>();
    for (int i = from; i < to; i++) {
      counts.computeIfAbsent(ids[i], id -> new int[1])[0]++;
    }
    return counts;
  }

  private static List<Integer> ranked(Map<Integer, int[]> counts) {
    List<Integer> ids = new ArrayList<>(counts.keySet());
    ids.sort((a, b) -> Integer.compare(counts.get(b)[0], counts.get(a)[0]));
    return ids;
  }

  private static double share(List<Integer> ranked, int k, Map<Integer, int[]> next, int total) {
    long covered = 0;
    for (Integer id : ranked.subList(0, Math.min(k, ranked.size()))) {
      int[] count = next.get(id);
      covered += count == null ? 0 : count[0];
    }
    return (double) covered / total;
  }
}
