package dev.keywarm.bench;

import dev.keywarm.runner.WarmHandle;
import dev.keywarm.runner.WarmProgress;
import dev.keywarm.runner.WarmResult;
import dev.keywarm.runner.WarmRunner;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.snapshot.SnapshotEntry;
import dev.keywarm.testsupport.RedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Claim: the warm-runner restores a hot-set snapshot into an empty cache Redis at close to the rate
 * that Redis takes such writes at all — 100 000 keys of 1 KB in at most 1 s, and at least 80 % of
 * {@code redis-benchmark -P 64} sending {@code SET key:__rand_int__ <value> NX PX 600000} on
 * distinct keys to the same server, measured in the same run.
 *
 * <p>What it measures: a snapshot of N real keys (DUMP + PTTL of keys written with {@code PX
 * 600000}, stored as {@code SnapshotEntry}s under the schema's names in a second, stats
 * redis-server), then the cache flushed and a runner with no loaders and no plan started; the
 * restore's time runs from the call ({@code WarmRunner.start()}) to the moment every key is
 * restored (progress polled every millisecond), so it includes connecting, the lease and the first
 * read of the snapshot. Then the cache is flushed and {@code redis-benchmark} (50 clients, {@code
 * -P 64}, {@code -r 100000000}) sends N of the same-sized writes.
 *
 * <p>What would make it wrong: keys already in the cache (flushed before each measurement; the
 * runner must report restored == N, else the run stops), another value size for either side (one
 * size), a machine busy with something else (run it alone; {@code --runs 3} alternates the two and
 * prints every run). {@code redis-benchmark}'s {@code -r} draws keys at random, so a few percent of
 * its writes hit a key written before and are declined by NX — cheaper for Redis, which flatters
 * redis-benchmark, not the runner.
 *
 * <p>Args: {@code [--keys N=100000] [--size BYTES=1024] [--runs R=1] [--writers W --batch B]}
 * (default: the runner's own defaults). Servers: two private redis-servers from test-support, or
 * {@code -Dbench.cache.url=redis://…} and {@code -Dbench.stats.url=redis://…} (the cache is
 * flushed: never point it at data you keep).
 */
public final class RestoreThroughputMain {

  private static final String APP = "bench";

  /** The servers' process ids (to read their CPU time from /proc), or -1 when not ours. */
  private static long cachePid = -1;

  private static long statsPid = -1;

  private RestoreThroughputMain() {}

  private static long pid(RedisServer server) {
    if (server == null) {
      return -1;
    }
    Matcher m = Pattern.compile("pid (\\d+)").matcher(server.toString());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** CPU time (user + system) of a process in ms, from /proc; -1 where unknown. */
  static long cpuMillis(long pid) {
    if (pid < 0) {
      return -1;
    }
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // clock ticks of 10 ms
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  static long ownCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1_000_000;
  }

  public static void main(String[] args) throws Exception {
    int keys = 100_000;
    int size = 1024;
    int runs = 1;
    int writers = 0;
    int batch = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--keys" -> keys = Integer.parseInt(args[++i]);
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--writers" -> writers = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String cacheUrl = System.getProperty("bench.cache.url");
    String statsUrl = System.getProperty("bench.stats.url");
    RedisServer cacheServer = cacheUrl == null ? RedisServer.start("--save", "") : null;
    RedisServer statsServer = statsUrl == null ? RedisServer.start("--save", "") : null;
    try {
      String cache = cacheUrl != null ? cacheUrl : cacheServer.uri();
      String stats = statsUrl != null ? statsUrl : statsServer.uri();
      cachePid = pid(cacheServer);
      statsPid = pid(statsServer);
      run(cache, stats, keys, size, runs, writers, batch);
    } finally {
      if (cacheServer != null) {
        cacheServer.close();
      }
      if (statsServer != null) {
        statsServer.close();
      }
    }
  }

  private static void run(
      String cache, String stats, int keys, int size, int runs, int writers, int batch)
      throws Exception {
    try (JedisPooled cacheClient = new JedisPooled(URI.create(cache));
        JedisPooled statsClient = new JedisPooled(URI.create(stats))) {
      cacheClient.flushAll();
      statsClient.flushAll();
      buildSnapshot(cacheClient, statsClient, keys, size);
      System.out.printf(
          Locale.ROOT,
          "snapshot: %d keys x %d B (DUMP payload %d B) in %s; cache %s; %d cores%n",
          keys,
          size,
          payloadSize(statsClient),
          stats,
          cache,
          Runtime.getRuntime().availableProcessors());
      for (int r = 0; r < runs; r++) {
        double[] restore = null;
        double benchmark = 0;
        String restoreCpu = "";
        String benchmarkCpu = "";
        // alternate which goes first, so that a warming JIT or a neighbour hits both alike
        for (int step = 0; step < 2; step++) {
          cacheClient.flushAll();
          long cache0 = cpuMillis(cachePid);
          long stats0 = cpuMillis(statsPid);
          long own0 = ownCpuMillis();
          if ((step == 0) == (r % 2 == 0)) {
            restore = restore(cache, stats, keys, writers, batch);
            restoreCpu =
                String.format(
                    Locale.ROOT,
                    "cache redis-server %d ms, stats redis-server %d ms, runner's JVM %d ms",
                    cpuMillis(cachePid) - cache0,
                    cpuMillis(statsPid) - stats0,
                    ownCpuMillis() - own0);
          } else {
            benchmark = redisBenchmark(URI.create(cache), keys, size);
            benchmarkCpu =
                String.format(
                    Locale.ROOT, "cache redis-server %d ms", cpuMillis(cachePid) - cache0);
          }
        }
        double callRate = keys / (restore[0] / 1000);
        System.out.printf(
            Locale.ROOT,
            "run %d: restore of %,d keys: %.0f ms from the call to the last key = %,.0f keys/s"
                + " (first key %.0f ms after the call; first to last %,.0f keys/s);"
                + " redis-benchmark SET NX PX: %,.0f/s; restore / redis-benchmark = %.1f%%%n",
            r + 1,
            keys,
            restore[0],
            callRate,
            restore[1],
            keys / ((restore[0] - restore[1]) / 1000),
            benchmark,
            100 * callRate / benchmark);
        System.out.printf(
            Locale.ROOT,
            "       CPU time: restore: %s; redis-benchmark: %s%n",
            restoreCpu,
            benchmarkCpu);
      }
      cacheClient.flushAll();
    }
  }

  /** Writes N keys to the cache and snapshots them as the agent's keeper does. */
  private static void buildSnapshot(JedisPooled cache, JedisPooled stats, int keys, int size) {
    // random bytes: DUMP compresses a compressible value (1 KB of 'x' becomes 33 bytes), and the
    // restore must carry as many bytes as redis-benchmark's SET does
    Random random = new Random(42);
    KeySchema schema = KeySchema.forApp(APP);
    byte[] values = schema.snapshotValues().getBytes(StandardCharsets.UTF_8);
    byte[] rank = schema.snapshotRank().getBytes(StandardCharsets.UTF_8);
    int chunk = 1_000;
    for (int start = 0; start < keys; start += chunk) {
      int end = Math.min(keys, start + chunk);
      List<byte[]> names = new ArrayList<>();
      try (Pipeline p = cache.pipelined()) {
        for (int i = start; i < end; i++) {
          byte[] key = ("key:" + i).getBytes(StandardCharsets.UTF_8);
          byte[] value = new byte[size];
          random.nextBytes(value);
          names.add(key);
          p.set(key, value, SetParams.setParams().px(600_000));
        }
      }
      long readAt = System.currentTimeMillis();
      List<Response<byte[]>> dumps = new ArrayList<>();
      List<Response<Long>> pttls = new ArrayList<>();
      try (Pipeline p = cache.pipelined()) {
        for (byte[] key : names) {
          dumps.add(p.dump(key));
          pttls.add(p.pttl(key));
        }
        p.sync();
      }
      try (Pipeline p = stats.pipelined()) {
        for (int i = 0; i < names.size(); i++) {
          SnapshotEntry entry =
              new SnapshotEntry(
                  readAt, SnapshotEntry.expiryOf(readAt, pttls.get(i).get()), dumps.get(i).get());
          p.hset(values, names.get(i), entry.encode());
          p.zadd(rank, keys - start - i, names.get(i));
        }
      }
    }
  }

  private static long payloadSize(JedisPooled stats) {
    KeySchema schema = KeySchema.forApp(APP);
    byte[] one =
        stats.hget(
            schema.snapshotValues().getBytes(StandardCharsets.UTF_8),
            "key:0".getBytes(StandardCharsets.UTF_8));
    return SnapshotEntry.decode(one).payload().length;
  }

  /** {call to the last key restored, call to the first key restored}, ms. */
  private static double[] restore(String cache, String stats, int keys, int writers, int batch)
      throws Exception {
    WarmRunner.Builder builder =
        WarmRunner.builder()
            .app(APP)
            .redis(cache)
            .statsRedis(stats)
            .planSnapshot(null)
            .serviceLoaders(false)
            .jmx(false)
            .lease(false, Duration.ZERO)
            .progressInterval(Duration.ofHours(1))
            .maxKeys(Math.max(keys, 100_000));
    if (writers > 0) {
      builder.writers(writers, batch > 0 ? batch : 512);
    }
    WarmRunner runner = builder.build();
    long start = System.nanoTime();
    WarmHandle handle = runner.start();
    long first = -1;
    long last = -1;
    while (!handle.isDone()) {
      WarmProgress p = handle.progress();
      long now = System.nanoTime();
      if (first < 0 && p.restored() > 0) {
        first = now;
      }
      if (last < 0 && p.restored() >= keys) {
        last = now;
      }
      Thread.sleep(1);
    }
    WarmResult result = handle.await();
    if (result.progress().restored() != keys) {
      throw new IllegalStateException("the runner did not restore every key: " + result.summary());
    }
    if (last < 0) {
      last = System.nanoTime();
    }
    return new double[] {(last - start) / 1e6, (first - start) / 1e6};
  }

  private static double redisBenchmark(URI cache, int keys, int size) throws Exception {
    return dev.keywarm.testsupport.RedisBenchmark.requestsPerSecond(
        cache.getHost(),
        cache.getPort(),
        "-P",
        "64",
        "-n",
        Integer.toString(keys),
        "-r",
        "100000000",
        "SET",
        "key:__rand_int__",
        "x".repeat(size),
        "NX",
        "PX",
        "600000");
  }
}
