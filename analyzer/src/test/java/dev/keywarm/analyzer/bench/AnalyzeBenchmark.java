package dev.keywarm.analyzer.bench;

import dev.keywarm.analyzer.analysis.Analysis;
import dev.keywarm.analyzer.analysis.AnalysisOptions;
import dev.keywarm.analyzer.analysis.Analyzer;
import dev.keywarm.analyzer.plan.PlanWriter;
import dev.keywarm.analyzer.read.HourlyStatsReader;
import dev.keywarm.analyzer.read.RangeData;
import dev.keywarm.analyzer.report.HtmlReport;
import dev.keywarm.analyzer.report.JsonReport;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.schema.PairMember;
import dev.keywarm.testsupport.RedisServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * One claim: analysing 7 days × 24 hours × 100,000 keys takes ≤ 30 s with -Xmx512m on 2 cores,
 * measured from the first read to a written plan and rendered reports, repeated (default 3 runs on
 * the same data; the median is the figure). Run it with {@code analyzer/scripts/run-test-main.sh
 * -Xmx512m dev.keywarm.analyzer.bench.AnalyzeBenchmark [runs]}.
 *
 * <p>The data, written with pipelined ZADDs of 1,000 members into a private redis-server: per hour
 * 100,000 keys in {@code hits} (a window of a 200,000-key universe that drifts 5,000 keys a day, so
 * the week holds ~130,000 distinct keys), Zipf-like counts (α ≈ 1) shuffled per hour; 10,000 of
 * those keys also in {@code misses}, {@code loadus} and {@code loads}; 10,000 {@code pairs}; a
 * {@code meta} hash. 23.5 M members in all (Redis needs ~2.5 GB). Filling takes a minute or two and
 * is not timed. What would make the figure wrong: a warm Redis (the range is read once; there is no
 * cache between runs but the server's own), or a second run on a half-filled server — each run
 * starts its own.
 */
public final class AnalyzeBenchmark {

  static final int DAYS = 7;
  static final int KEYS_PER_HOUR = 100_000;
  static final int UNIVERSE = 200_000;
  static final int MISSES_PER_HOUR = 10_000;
  static final int PAIRS_PER_HOUR = 10_000;

  public static void main(String[] args) {
    HourBucket end = HourBucket.parse("2026112300");
    HourRange range = HourRange.lastDays(DAYS, end);
    KeySchema schema = KeySchema.forApp("bench");
    try (RedisServer redis = RedisServer.start();
        Jedis jedis = new Jedis(redis.host(), redis.port(), 60_000)) {
      long t0 = System.nanoTime();
      fill(jedis, schema, range);
      System.out.printf(
          "filled %d hours × %,d keys in %.1f s; redis used_memory %s%n",
          range.hours(), KEYS_PER_HOUR, seconds(t0), info(jedis, "used_memory_human"));
      int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
      double[] totals = new double[runs];
      for (int run = 0; run < runs; run++) {
        totals[run] = analyseOnce(jedis, schema, range);
      }
      java.util.Arrays.sort(totals);
      System.out.printf(
          "median of %d runs: %.1f s (min %.1f s, max %.1f s)%n",
          runs, totals[runs / 2], totals[0], totals[runs - 1]);
    }
  }

  /** One full analysis, first read to written plan and rendered reports; returns its seconds. */
  static double analyseOnce(Jedis jedis, KeySchema schema, HourRange range) {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long start = System.nanoTime();
    RangeData data = new HourlyStatsReader(jedis, schema).read(range, 0);
    double read = seconds(start);
    long a = System.nanoTime();
    Analysis analysis = new Analyzer(AnalysisOptions.defaults()).analyze(data, Instant.now());
    double analyse = seconds(a);
    long w = System.nanoTime();
    String generation =
        new PlanWriter(jedis, schema).write(analysis.plan(), Duration.ofDays(8), Instant.now());
    double plan = seconds(w);
    long r = System.nanoTime();
    int bytes =
        JsonReport.render(analysis.result()).length()
            + HtmlReport.render(analysis.result()).length();
    double render = seconds(r);
    double total = seconds(start);
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        "keys %,d, reads %,.0f, alpha %.3f, plan %s (expected coverage %.3f)%n",
        analysis.result().totals().distinctKeys(),
        analysis.result().totals().reads(),
        analysis.result().zipf().alpha(),
        generation,
        analysis.result().plan().expectedCoverage());
    System.out.printf(
        "read %.1f s + analyse %.1f s + write plan %.1f s + render JSON/HTML %.1f s (%,d chars)"
            + " = %.1f s; peak heap %d MB of max %d MB; %d CPUs%n",
        read,
        analyse,
        plan,
        render,
        bytes,
        total,
        peakHeap >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    return total;
  }

  static void fill(Jedis jedis, KeySchema schema, HourRange range) {
    Random random = new Random(1);
    byte[][] keys = new byte[UNIVERSE][];
    for (int i = 0; i < UNIVERSE; i++) {
      keys[i] = ("bench:item:" + i + ":v1").getBytes(StandardCharsets.US_ASCII);
    }
    double[] counts = new double[KEYS_PER_HOUR];
    for (int r = 0; r < KEYS_PER_HOUR; r++) {
      counts[r] = Math.max(1, Math.round(200_000.0 / (r + 1)));
    }
    int hourIndex = 0;
    for (HourBucket hour : range.list()) {
      int offset = 5_000 * (hourIndex / 24);
      int[] perm = shuffled(KEYS_PER_HOUR, random);
      Pipeline p = jedis.pipelined();
      Map<byte[], Double> chunk = new HashMap<>();
      byte[] hits = bytes(schema.hourly(hour, HourlySet.HITS));
      for (int i = 0; i < KEYS_PER_HOUR; i++) {
        chunk.put(keys[(offset + i) % UNIVERSE], counts[perm[i]]);
        if (chunk.size() == 1_000) {
          p.zadd(hits, chunk);
          chunk = new HashMap<>();
        }
      }
      Map<byte[], Double> misses = new HashMap<>();
      Map<byte[], Double> loadus = new HashMap<>();
      Map<byte[], Double> loads = new HashMap<>();
      Map<byte[], Double> pairs = new HashMap<>();
      for (int i = 0; i < MISSES_PER_HOUR; i++) {
        byte[] key = keys[(offset + random.nextInt(KEYS_PER_HOUR)) % UNIVERSE];
        misses.put(key, 1.0 + random.nextInt(20));
        loads.put(key, misses.get(key));
        loadus.put(key, misses.get(key) * (500 + random.nextInt(20_000)));
        byte[] other = keys[(offset + random.nextInt(KEYS_PER_HOUR)) % UNIVERSE];
        pairs.put(PairMember.encode(key, other), 1.0 + random.nextInt(10));
        if (misses.size() == 1_000) {
          p.zadd(bytes(schema.hourly(hour, HourlySet.MISSES)), misses);
          p.zadd(bytes(schema.hourly(hour, HourlySet.LOADS)), loads);
          p.zadd(bytes(schema.hourly(hour, HourlySet.LOAD_MICROS)), loadus);
          p.zadd(bytes(schema.pairs(hour)), pairs);
          misses = new HashMap<>();
          loads = new HashMap<>();
          loadus = new HashMap<>();
          pairs = new HashMap<>();
        }
      }
      p.hincrBy(schema.meta(hour), MetaField.FLUSHES.field(), 360);
      p.sync();
      hourIndex++;
    }
  }

  private static int[] shuffled(int n, Random random) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  private static String info(Jedis jedis, String field) {
    for (String line : jedis.info("memory").split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1);
      }
    }
    return "?";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
