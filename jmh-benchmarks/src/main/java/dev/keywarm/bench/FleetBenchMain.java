package dev.keywarm.bench;

import dev.keywarm.agent.flush.StatsFlusher;
import dev.keywarm.agent.recording.FleetFeed;
import dev.keywarm.agent.recording.KeyPrivacy;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.WindowAggregator;
import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisBenchmark;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claim (issue 18): a fleet of instances of one app spreads its stats evenly over a Redis Cluster's
 * masters, sends few stats commands per application command, and keeps every node far from its
 * limit.
 *
 * <p>What it measures: N simulated instances in this JVM, each the agent's real recording core —
 * its own {@link Recorder}, {@link WindowAggregator} and {@link StatsFlusher}, built with the
 * agent's default options ({@code maxkeys=100000}, {@code flush=10s}, co-access pairs of 8 reads in
 * 200 ms, {@code shards=auto}) and the stage the agent puts in front of the flusher — fed through
 * the hooks' own per-thread recording path ({@link FleetFeed}) by two generator threads at a total
 * rate: a Zipf(1.0) workload over 1 M keys {@code key:0000000..}, cache-aside (a read hits with
 * probability 0.9; a miss is followed by a write with a 10-minute TTL). The stats go to a private
 * 3-master Redis Cluster (test-support); per node it reads {@code INFO commandstats} and {@code
 * INFO stats} before and after: stats commands/s, bytes/s in. For every N it prints the ratio of
 * stats commands to application commands, the spread over the masters (largest deviation from the
 * mean), the largest flush lag any instance reported while running, and the nodes' memory after the
 * run. The one-node limit is {@code redis-benchmark -P 64 ZINCRBY} against a standalone
 * redis-server started alongside, measured first.
 *
 * <p>Scaling, honestly: this machine (2 cores, the three masters on it too) cannot generate the
 * issue's 2 M ops/s, so the run is at {@code --rate} app commands/s in total, and the row "at 2 M
 * ops/s" multiplies each node's measured stats commands/s by 2 M / rate. That is conservative: the
 * stats commands per window grow slower than the events in it (a key read a hundred times costs the
 * same commands as a key read once), so at a higher rate per instance the ratio only falls. The
 * figure includes every transient of the run (first windows, shard discovery, the final flush of
 * each instance is excluded: it is measured after the counters are read).
 *
 * <p>Args: {@code [--instances 10,100,500] [--rate 100000] [--seconds 60] [--flush 10s]}.
 */
public final class FleetBenchMain {

  private static final String APP = "fleet";
  private static final int KEYS = 1_000_000;
  private static final int SAMPLES = 1 << 24;

  private FleetBenchMain() {}

  public static void main(String[] args) throws Exception {
    int[] fleet = {10, 100, 500};
    double rate = 100_000;
    int seconds = 60;
    Duration flush = Duration.ofSeconds(10);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--instances" -> {
          String[] parts = args[i + 1].split(",");
          fleet = new int[parts.length];
          for (int p = 0; p < parts.length; p++) {
            fleet[p] = Integer.parseInt(parts[p].trim());
          }
        }
        case "--rate" -> rate = Double.parseDouble(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--flush" -> flush = dev.keywarm.redis.Durations.parsePositive(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    byte[][] keys = new byte[KEYS][];
    for (int k = 0; k < KEYS; k++) {
      keys[k] = String.format(Locale.ROOT, "key:%07d", k).getBytes(StandardCharsets.US_ASCII);
    }
    int[] zipf = zipfSamples(KEYS, 1.0, SAMPLES, 42);

    double zincrby;
    try (RedisServer one = RedisServer.start()) {
      zincrby =
          RedisBenchmark.requestsPerSecond(
              one.host(),
              one.port(),
              "-P",
              "64",
              "-n",
              "2000000",
              "-r",
              "1000000",
              "ZINCRBY",
              "kw:z",
              "1",
              "__rand_int__");
    }
    System.out.printf(
        Locale.ROOT,
        "one node: redis-benchmark -P 64 ZINCRBY %,.0f/s (60 %%: %,.0f/s)%n",
        zincrby,
        zincrby * 0.6);
    System.out.printf(
        Locale.ROOT,
        "%5s %10s %10s %28s %22s %8s %7s %9s %22s %24s%n",
        "N",
        "app cmd/s",
        "stats cmd/s",
        "per node cmd/s",
        "per node KB/s in",
        "per 100",
        "spread",
        "max lag",
        "memory per node, MB",
        "per node at 2M ops/s");
    try (RedisCluster cluster = RedisCluster.start(3)) {
      for (int n : fleet) {
        run(cluster, n, rate, seconds, flush, keys, zipf, zincrby);
      }
    }
  }

  private static void run(
      RedisCluster cluster,
      int instances,
      double rate,
      int seconds,
      Duration flush,
      byte[][] keys,
      int[] zipf,
      double zincrby)
      throws Exception {
    List<RedisServer> nodes = cluster.nodes();
    for (RedisServer node : nodes) {
      node.flushAll();
      node.command("CONFIG", "RESETSTAT");
    }
    long[] memoryBefore = new long[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      memoryBefore[i] = info(nodes.get(i), "memory", "used_memory");
    }
    RedisEndpoint seed = RedisEndpoint.parse(nodes.get(0).uri());
    KeySchema schema = KeySchema.forApp(APP);
    List<Instance> fleet = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      fleet.add(new Instance(schema, seed, flush));
    }
    fleet.forEach(Instance::start);

    AtomicLong appCommands = new AtomicLong();
    long endNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> generators = new ArrayList<>();
    int threads = 2;
    for (int g = 0; g < threads; g++) {
      int first = g;
      Thread t =
          new Thread(
              () ->
                  generate(
                      fleet, first, threads, rate / threads, endNanos, keys, zipf, appCommands),
              "fleet-generator-" + g);
      t.start();
      generators.add(t);
    }
    long maxLag = 0;
    while (System.nanoTime() - endNanos < 0) {
      Thread.sleep(500);
      for (Instance instance : fleet) {
        maxLag = Math.max(maxLag, instance.flusher.flushLagMillis());
      }
    }
    for (Thread t : generators) {
      t.join();
    }
    // let the last windows of the run be written: every instance's flusher idle, at most 2 windows
    long settle = System.nanoTime() + 2 * flush.toNanos();
    while (System.nanoTime() - settle < 0 && fleet.stream().anyMatch(Instance::pending)) {
      Thread.sleep(200);
    }
    long elapsedMillis = seconds * 1000L;
    long[] commands = new long[nodes.size()];
    long[] bytesIn = new long[nodes.size()];
    long[] memory = new long[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      commands[i] = statsCommands(nodes.get(i));
      bytesIn[i] = info(nodes.get(i), "stats", "total_net_input_bytes");
      memory[i] = info(nodes.get(i), "memory", "used_memory") - memoryBefore[i];
    }
    for (Instance instance : fleet) {
      instance.stop();
    }
    long total = 0;
    for (long c : commands) {
      total += c;
    }
    double mean = total / (double) nodes.size();
    double spread = 0;
    for (long c : commands) {
      spread = Math.max(spread, Math.abs(c - mean) / mean);
    }
    double appRate = appCommands.get() * 1000.0 / elapsedMillis;
    double statsRate = total * 1000.0 / elapsedMillis;
    double scale = 2_000_000 / appRate;
    StringBuilder perNode = new StringBuilder();
    StringBuilder perNodeBytes = new StringBuilder();
    StringBuilder perNodeMemory = new StringBuilder();
    StringBuilder perNodeScaled = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      String sep = i == 0 ? "" : "/";
      perNode
          .append(sep)
          .append(String.format(Locale.ROOT, "%,.0f", commands[i] * 1000.0 / elapsedMillis));
      perNodeBytes
          .append(sep)
          .append(String.format(Locale.ROOT, "%,.0f", bytesIn[i] / 1024.0 * 1000 / elapsedMillis));
      perNodeMemory.append(sep).append(String.format(Locale.ROOT, "%.1f", memory[i] / 1e6));
      double scaled = commands[i] * 1000.0 / elapsedMillis * scale;
      perNodeScaled
          .append(sep)
          .append(String.format(Locale.ROOT, "%.1f%%", 100 * scaled / zincrby));
    }
    System.out.printf(
        Locale.ROOT,
        "%5d %,10.0f %,10.0f %28s %22s %8.3f %6.1f%% %7d ms %22s %24s%n",
        instances,
        appRate,
        statsRate,
        perNode,
        perNodeBytes,
        100 * statsRate / appRate,
        100 * spread,
        maxLag,
        perNodeMemory,
        perNodeScaled + " of ZINCRBY");
  }

  /** One simulated instance: the agent's recorder, aggregator and flusher, defaults. */
  private static final class Instance {
    final Recorder recorder = new Recorder(2, 8192, TimeUnit.SECONDS.toNanos(1));
    final StatsFlusher flusher;
    final WindowAggregator aggregator;

    Instance(KeySchema schema, RedisEndpoint seed, Duration flush) {
      flusher =
          new StatsFlusher(
              schema,
              KeySchema.DEFAULT_RETENTION,
              seed,
              Duration.ofSeconds(2),
              200_000,
              64L << 20,
              flush,
              200_000,
              20_000,
              0);
      Consumer<WindowSnapshot> output = flusher::submit;
      aggregator =
          new WindowAggregator(
              recorder,
              100_000,
              64L << 20,
              flush.toNanos(),
              8,
              200,
              10_000,
              KeyPrivacy.PLAIN,
              output,
              System::currentTimeMillis);
    }

    void start() {
      flusher.start();
      aggregator.start();
    }

    boolean pending() {
      return flusher.pendingEntries() > 0;
    }

    void stop() {
      try {
        aggregator.stop(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      flusher.flushOnExit(Duration.ofSeconds(1));
    }
  }

  private static void generate(
      List<Instance> fleet,
      int first,
      int step,
      double rate,
      long endNanos,
      byte[][] keys,
      int[] zipf,
      AtomicLong appCommands) {
    List<FleetFeed> feeds = new ArrayList<>();
    for (int i = first; i < fleet.size(); i += step) {
      feeds.add(new FleetFeed(fleet.get(i).recorder));
    }
    SplittableRandom random = new SplittableRandom(first * 7919L + 1);
    int at = random.nextInt(zipf.length);
    long start = System.nanoTime();
    long done = 0;
    int chunk = 32;
    while (System.nanoTime() - endNanos < 0) {
      for (FleetFeed feed : feeds) {
        for (int e = 0; e < chunk; e++) {
          byte[] key = keys[zipf[at]];
          at = at + 1 == zipf.length ? 0 : at + 1;
          if (random.nextInt(10) != 0) {
            feed.hit(key);
            done++;
          } else {
            feed.miss(key);
            feed.write(key, 600_000);
            done += 2;
          }
        }
        long due = start + (long) (done / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        if (System.nanoTime() - endNanos >= 0) {
          break;
        }
      }
    }
    appCommands.addAndGet(done);
  }

  /** Zipf(s) ranks 0..n-1, drawn by inverting the CDF, shuffled so rank is not key order. */
  static int[] zipfSamples(int n, double s, int count, long seed) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1 / Math.pow(k + 1, s);
      cdf[k] = sum;
    }
    int[] keyOfRank = new int[n];
    for (int k = 0; k < n; k++) {
      keyOfRank[k] = k;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int k = n - 1; k > 0; k--) {
      int j = random.nextInt(k + 1);
      int t = keyOfRank[k];
      keyOfRank[k] = keyOfRank[j];
      keyOfRank[j] = t;
    }
    int[] samples = new int[count];
    for (int i = 0; i < count; i++) {
      double u = random.nextDouble() * sum;
      int lo = 0;
      int hi = n - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      samples[i] = keyOfRank[lo];
    }
    return samples;
  }

  private static final Pattern CALLS = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

  /** Commands the node ran since the reset, less the benchmark's own INFO and CONFIG calls. */
  static long statsCommands(RedisServer node) {
    String text = String.valueOf(node.command("INFO", "commandstats"));
    Matcher m = CALLS.matcher(text);
    long calls = 0;
    while (m.find()) {
      String command = m.group(1);
      if (!command.equals("info") && !command.startsWith("config")) {
        calls += Long.parseLong(m.group(2));
      }
    }
    return calls;
  }

  static long info(RedisServer node, String section, String field) {
    String text = String.valueOf(node.command("INFO", section));
    Matcher m = Pattern.compile(field + ":(\\d+)").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
