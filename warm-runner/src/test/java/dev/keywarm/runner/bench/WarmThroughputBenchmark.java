package dev.keywarm.runner.bench;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.WarmHandle;
import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.WarmProgress;
import dev.keywarm.runner.WarmResult;
import dev.keywarm.runner.WarmRunner;
import dev.keywarm.runner.WarmStatus;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * One claim: with a loader that costs nothing, the runner writes nearly as fast as Redis accepts
 * pipelined SETs, and far faster than a naive EXISTS-then-SET loop. Runs three things against one
 * private redis-server, one after the other, same value size:
 *
 * <ol>
 *   <li>{@code redis-benchmark -t set -P 64 -n N -d SIZE} (50 clients, pipelined), as the issue
 *       asks; note that without {@code -r} it overwrites one single key, so two more references
 *       run: the same with {@code -r} (N distinct keys), and the runner's exact command {@code SET
 *       k v NX PX} on distinct keys;
 *   <li>the runner warming an N-key plan, rate limit off: the write phase (loads, SET NX PX,
 *       pipelined; from the end of plan reading to the end), and the whole run;
 *   <li>a naive loop, {@code EXISTS} then {@code SET PX} per key, one connection (on N/10 keys; a
 *       rate).
 * </ol>
 *
 * What would make it wrong: a runner that skips writes (checked: warmed == N), keys already present
 * (the database is flushed between phases), or comparing different value sizes (one SIZE for all).
 * Args: {@code [N=600000] [SIZE=64] [writers=4] [batch=4096] [concurrency=4]}.
 */
public final class WarmThroughputBenchmark {

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int writers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 4096;
    int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    WarmLog.setQuiet(true);
    try (RedisServer redis = RedisServer.start("--save", "")) {
      double ceiling =
          redisBenchmark(
              redis,
              "-t",
              "set",
              "-P",
              "64",
              "-n",
              Integer.toString(n),
              "-d",
              Integer.toString(size));
      redis.flushAll();
      // the same, but n distinct keys (-r): without -r every SET overwrites the one key
      // "key:__rand_int__"
      double distinct =
          redisBenchmark(
              redis,
              "-t",
              "set",
              "-P",
              "64",
              "-n",
              Integer.toString(n),
              "-d",
              Integer.toString(size),
              "-r",
              "100000000");
      redis.flushAll();
      // exactly the runner's command on n distinct keys
      double sameCommand =
          redisBenchmark(
              redis,
              "-P",
              "64",
              "-n",
              Integer.toString(n),
              "-r",
              "100000000",
              "SET",
              "key:__rand_int__",
              "x".repeat(size),
              "NX",
              "PX",
              "3600000");
      redis.flushAll();

      double[] runner = runner(redis, n, size, writers, batch, concurrency);
      redis.flushAll();

      double naive = naive(redis, Math.max(1_000, n / 10), size);

      System.out.printf(
          Locale.ROOT,
          "%nkeys=%d value=%dB writers=%d batch=%d concurrency=%d cores=%d%n",
          n,
          size,
          writers,
          batch,
          concurrency,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "redis-benchmark -t set -P 64 : %,12.0f SET/s (one key, overwritten)%n",
          ceiling);
      System.out.printf(Locale.ROOT, "  ... with -r (distinct keys): %,12.0f SET/s%n", distinct);
      System.out.printf(
          Locale.ROOT,
          "  ... SET k v NX PX, -r      : %,12.0f SET/s  <- the runner's exact workload%n",
          sameCommand);
      System.out.printf(
          Locale.ROOT,
          "warm-runner, write phase     : %,12.0f keys/s  = %5.1f%% of redis-benchmark, %.1fx naive%n",
          runner[1],
          100 * runner[1] / ceiling,
          runner[1] / naive);
      System.out.printf(
          Locale.ROOT,
          "                               %12s         = %5.1f%% of -r, %5.1f%% of SET NX PX -r%n",
          "",
          100 * runner[1] / distinct,
          100 * runner[1] / sameCommand);
      System.out.printf(
          Locale.ROOT,
          "warm-runner, whole run       : %,12.0f keys/s  = %5.1f%% of redis-benchmark, %.1fx naive"
              + " (includes reading the %d-key plan)%n",
          runner[0],
          100 * runner[0] / ceiling,
          runner[0] / naive,
          n);
      System.out.printf(Locale.ROOT, "naive EXISTS + SET PX loop   : %,12.0f keys/s%n", naive);
    }
  }

  private static double redisBenchmark(RedisServer redis, String... args) throws Exception {
    return dev.keywarm.testsupport.RedisBenchmark.requestsPerSecond(
        redis.host(), redis.port(), args);
  }

  /**
   * {whole run, write phase} in keys per second; the write phase starts when the plan has been
   * read.
   */
  private static double[] runner(
      RedisServer redis, int n, int size, int writers, int batch, int concurrency)
      throws InterruptedException {
    Instant now = Instant.now();
    KeySchema schema = KeySchema.forApp("bench");
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      Map<String, Double> chunk = new HashMap<>();
      for (int i = 0; i < n; i++) {
        chunk.put("bench:key:" + i, (double) (n - i));
        if (chunk.size() == 10_000 || i == n - 1) {
          jedis.zadd(schema.planHour("g1", HourBucket.of(now).hourOfDay()), chunk);
          chunk.clear();
        }
      }
      jedis.set(schema.currentPlan(), "g1");
    }
    byte[] value = new byte[size];
    Arrays.fill(value, (byte) 'x');
    LoadedValue loaded = LoadedValue.of(value);
    KeyLoader free =
        new KeyLoader() {
          @Override
          public LoadedValue load(byte[] key) {
            return loaded;
          }

          @Override
          public List<LoadedValue> loadAll(List<byte[]> keys) {
            List<LoadedValue> out = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
              out.add(loaded);
            }
            return out;
          }

          @Override
          public int batchSize() {
            return 2048;
          }
        };
    WarmHandle handle =
        WarmRunner.builder()
            .planSnapshot(null)
            .app("bench")
            .redis(redis.uri())
            .serviceLoaders(false)
            .jmx(false)
            .lease(false, java.time.Duration.ZERO)
            .ratePerSecond(0)
            .maxKeys(n)
            .concurrency(concurrency)
            .writers(writers, batch)
            .loader("*", free)
            .build()
            .start();
    long planned = -1;
    while (!handle.isDone()) {
      WarmProgress p = handle.progress();
      if (planned < 0 && !p.state().equals("planning")) {
        planned = p.elapsed().toNanos();
      }
      Thread.sleep(1);
    }
    WarmResult result = handle.await();
    if (result.status() != WarmStatus.COMPLETED || result.progress().warmed() != n) {
      throw new IllegalStateException("runner did not warm every key: " + result.summary());
    }
    System.out.println(result.summary());
    return new double[] {
      n / (result.duration().toNanos() / 1e9), n / ((result.duration().toNanos() - planned) / 1e9)
    };
  }

  private static double naive(RedisServer redis, int n, int size) {
    String value = "x".repeat(size);
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String key = "naive:key:" + i;
        if (!jedis.exists(key)) {
          jedis.set(key, value, SetParams.setParams().px(3_600_000));
        }
      }
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }
}
