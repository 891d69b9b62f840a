package dev.keywarm.bench;

import dev.keywarm.agent.flush.HotTailSplit;
import dev.keywarm.agent.flush.StatsFlusher;
import dev.keywarm.agent.recording.FleetFeed;
import dev.keywarm.agent.recording.KeyPrivacy;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.TailTable;
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
 * figures include the transients of the run — the first windows, shard discovery — and every tail
 * written within it: run at least {@code --tailflush} seconds (the agent's default, 10 min, or a
 * shorter one, which writes the tail more often than an agent at its defaults: more stats commands
 * per application command, never fewer). The instances' exits (the last tail, the final flush) come
 * after the figures are read.
 *
 * <p>{@code --memory H}: instead, bytes per key-hour in the stats Redis — one instance on a
 * standalone redis-server, its clock set to H consecutive UTC hours in turn; in each hour it reads
 * 100 000 distinct keys (Zipf-ranked reads, 1 M events, cache-aside as above), the window is
 * written, and {@code used_memory} is read; the figure is the growth per key-hour, and per day at
 * 100 000 distinct keys an hour (24 × 100 000 key-hours).
 *
 * <p>Args: {@code [--instances 10,100,500] [--rate 100000] [--seconds 60] [--flush 10s]
 * [--tailflush 10m]} or {@code --memory 3}.
 */
public final class FleetBenchMain {

  private static final String APP = "fleet";
  private static final int KEYS = 1_000_000;
  private static final int SAMPLES = 1 << 24;

  /** The agent's default; {@code --tailflush} sets another. */
  private static Duration tailFlush = Duration.ofMinutes(10);

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
        case "--tailflush" -> tailFlush = dev.keywarm.redis.Durations.parsePositive(args[i + 1]);
        case "--memory" -> {
          memory(Integer.parseInt(args[i + 1]));
          return;
        }
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
              "100000",
              "ZINCRBY",
              "kw:z",
              "1",
              "__rand_int__");
    }
    System.out.printf(
        Locale.ROOT,
        "one node: redis-benchmark -P 64 -r 100000 ZINCRBY (one set of 100 000 members) %,.0f/s (60 %%: %,.0f/s)%n",
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
    fleet.parallelStream().forEach(Instance::stop); // after the figures: an exit is no steady state
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

  private static void memory(int hours) throws Exception {
    int distinct = 100_000;
    byte[][] keys = new byte[distinct][];
    for (int k = 0; k < distinct; k++) {
      keys[k] = String.format(Locale.ROOT, "key:%07d", k).getBytes(StandardCharsets.US_ASCII);
    }
    int[] zipf = zipfSamples(distinct, 1.0, 1_000_000, 7);
    try (RedisServer stats = RedisServer.start()) {
      AtomicLong clock = new AtomicLong((System.currentTimeMillis() / 3_600_000L - 2) * 3_600_000L);
      Instance instance =
          new Instance(
              KeySchema.forApp(APP),
              RedisEndpoint.parse(stats.uri()),
              Duration.ofMillis(500),
              clock);
      instance.start();
      FleetFeed feed = new FleetFeed(instance.recorder);
      SplittableRandom random = new SplittableRandom(3);
      long base = info(stats, "memory", "used_memory");
      long before = base;
      System.out.printf(
          Locale.ROOT, "%5s %12s %14s %16s%n", "hour", "members", "used_memory", "B per key-hour");
      for (int h = 0; h < hours; h++) {
        for (int k = 0; k < distinct; k++) { // every key at least once an hour
          read(feed, keys[k], random);
        }
        for (int z : zipf) {
          read(feed, keys[z], random);
        }
        Thread.sleep(1_500);
        while (instance.pending()) {
          Thread.sleep(100);
        }
        long used = info(stats, "memory", "used_memory");
        long members = 0;
        for (Object key : (List<?>) stats.command("KEYS", "kw:*")) {
          String name =
              key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) key;
          if (!name.endsWith(":meta") && !name.endsWith(":ttlp")) {
            members += (Long) stats.command("ZCARD", name);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%5d %,12d %,14d %,16.1f%n",
            h + 1,
            members,
            used - base,
            (used - before) / (double) distinct);
        before = used;
        clock.addAndGet(3_600_000L);
      }
      long perKeyHour = (before - base) / ((long) hours * distinct);
      System.out.printf(
          Locale.ROOT,
          "events lost at full rings: %,d (must be 0)%n",
          instance.recorder.lostEvents());
      System.out.printf(
          Locale.ROOT,
          "stats memory: %,d B per key-hour; %,.0f MB per day at 100 000 distinct keys an hour"
              + " (target: 100 MB)%n",
          perKeyHour,
          perKeyHour * 24 * 100_000 / 1e6);
      instance.stop();
    }
  }

  private static long fed;

  /** One read (and a write after a miss), paced to 100 000 events/s so no ring overflows. */
  private static void read(FleetFeed feed, byte[] key, SplittableRandom random) {
    if (++fed % 1_000 == 0) {
      LockSupport.parkNanos(10_000_000);
    }
    if (random.nextInt(10) != 0) {
      feed.hit(key);
    } else {
      feed.miss(key);
      feed.write(key, 600_000);
    }
  }

  /** One simulated instance: the agent's recorder, aggregator and flusher, defaults. */
  private static final class Instance {
    final Recorder recorder = new Recorder(2, 8192, TimeUnit.SECONDS.toNanos(1));
    final StatsFlusher flusher;
    final WindowAggregator aggregator;
    final HotTailSplit split;

    Instance(KeySchema schema, RedisEndpoint seed, Duration flush) {
      this(schema, seed, flush, null);
    }

    /** With {@code clock} (epoch ms) instead of the system's, when not null. */
    Instance(KeySchema schema, RedisEndpoint seed, Duration flush, AtomicLong clock) {
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
      java.util.function.LongSupplier now = clock == null ? System::currentTimeMillis : clock::get;
      split =
          new HotTailSplit(
              1000,
              tailFlush.toMillis(),
              new TailTable(100_000, 64L << 20, 20_000),
              flusher::submit,
              now);
      Consumer<WindowSnapshot> output = split;
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
              now);
      aggregator.afterEverySeal(split::tick);
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
      split.drainTail();
      flusher.flushOnExit(Duration.ofSeconds(30));
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
