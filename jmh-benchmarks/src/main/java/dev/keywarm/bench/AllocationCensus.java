package dev.keywarm.bench;

import dev.keywarm.testsupport.RedisServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * Not a benchmark: says <em>which objects</em> make up a B/op figure. Runs one of the {@link
 * JedisCommandBenchmark} or {@link LettuceCommandBenchmark} calls in a loop, warmed up, in a JVM
 * whose garbage collector never collects (Epsilon), and diffs two class histograms ({@code jcmd
 * GC.class_histogram -all}) taken around N calls: every object allocated by any thread in between
 * is still on the heap, so the diff divided by N is the exact allocation per call, by class. Run it
 * with and without an agent and compare.
 *
 * <pre>
 * java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xms3g -Xmx3g \
 *      [-javaagent:agent/target/keywarm.jar=app=bench,flush=10s] \
 *      -cp jmh-benchmarks/target/keywarm-benchmarks.jar dev.keywarm.bench.AllocationCensus getMiss|lettuceSyncGet|redissonMapGet|… [warmup] [calls]
 * </pre>
 *
 * Pin it to one CPU ({@code taskset -c 0}) to match the benchmark's default placement. Classes
 * allocated fewer than once per 20 calls are not listed (the total includes them).
 */
public final class AllocationCensus {

  private static final Pattern ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

  private AllocationCensus() {}

  public static void main(String[] args) throws Exception {
    String op = args.length > 0 ? args[0] : "getHit";
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 400_000;
    if (!"Epsilon".equals(collectorName())) {
      System.err.println(
          "run with -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx3g: "
              + "a collector that collects would remove the objects being counted");
      System.exit(64);
    }
    try (RedisServer redis = RedisServer.start();
        Client client = Client.open(op, redis)) {
      Runnable call = client.call;
      for (int i = 0; i < warmup; i++) {
        call.run();
      }
      Thread.sleep(6_000); // past one-time agent work (keywarm registers its JMX bean after 5 s)
      for (int i = 0; i < warmup / 4; i++) {
        call.run();
      }
      Thread.sleep(200);
      Map<String, long[]> before = histogram();
      for (int i = 0; i < calls; i++) {
        call.run();
      }
      Thread.sleep(200); // let background threads drain what the calls produced
      Map<String, long[]> after = histogram();

      long totalBytes = 0;
      List<String> rows = new ArrayList<>();
      for (Map.Entry<String, long[]> entry : after.entrySet()) {
        long[] was = before.getOrDefault(entry.getKey(), new long[2]);
        long count = entry.getValue()[0] - was[0];
        long bytes = entry.getValue()[1] - was[1];
        totalBytes += bytes;
        if (count >= calls / 20) {
          rows.add(
              String.format(
                  Locale.ROOT,
                  "%8.2f B/call %7.3f objects/call  %s",
                  bytes / (double) calls,
                  count / (double) calls,
                  entry.getKey()));
        }
      }
      rows.sort(null);
      System.out.printf(
          Locale.ROOT,
          "%s: %d calls, %.2f B/call allocated by all threads%n",
          op,
          calls,
          totalBytes / (double) calls);
      rows.forEach(row -> System.out.println("  " + row));
    }
  }

  /** The call under census and the client it runs on. */
  private record Client(Runnable call, AutoCloseable connection) implements AutoCloseable {

    static Client open(String op, RedisServer redis) {
      if (op.startsWith("redisson")) {
        return redisson(op, redis);
      }
      if (op.startsWith("lettuce")) {
        RedisClient lettuce = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = lettuce.connect();
        connection.sync().set(LettuceCommandBenchmark.HIT_KEY, "v".repeat(64));
        RedisFuture<?>[] batch = new RedisFuture<?>[LettuceCommandBenchmark.BATCH];
        Runnable call =
            switch (op) {
              case "lettuceSyncGet" -> () -> connection.sync().get(LettuceCommandBenchmark.HIT_KEY);
              case "lettuceAsyncGet100" ->
                  () -> {
                    for (int i = 0; i < batch.length; i++) {
                      batch[i] = connection.async().get(LettuceCommandBenchmark.HIT_KEY);
                    }
                    LettuceFutures.awaitAll(Duration.ofSeconds(5), batch);
                  };
              default ->
                  throw new IllegalArgumentException(
                      "lettuceSyncGet or lettuceAsyncGet100, not " + op);
            };
        return new Client(
            call,
            () -> {
              connection.close();
              lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            });
      }
      Jedis jedis = new Jedis(redis.host(), redis.port());
      jedis.set(JedisCommandBenchmark.HIT_KEY, JedisCommandBenchmark.VALUE);
      jedis.del(JedisCommandBenchmark.MISS_KEY);
      jedis.hset(JedisCommandBenchmark.HIT_HASH, "profile", JedisCommandBenchmark.VALUE);
      Runnable call =
          switch (op) {
            case "getHit" -> () -> jedis.get(JedisCommandBenchmark.HIT_KEY);
            case "getMiss" -> () -> jedis.get(JedisCommandBenchmark.MISS_KEY);
            case "set" ->
                () -> jedis.set(JedisCommandBenchmark.SET_KEY, JedisCommandBenchmark.VALUE);
            // the recorded TTL (600 s) and, with snapshot=on, the invalidation of a DEL
            case "setex" ->
                () -> jedis.setex(JedisCommandBenchmark.SET_KEY, 600, JedisCommandBenchmark.VALUE);
            case "del" -> () -> jedis.del(JedisCommandBenchmark.MISS_KEY);
            // a hash field as a cache entry: the field's member is built on the aggregator thread
            case "hgetHit" -> () -> jedis.hget(JedisCommandBenchmark.HIT_HASH, "profile");
            case "hgetMiss" -> () -> jedis.hget(JedisCommandBenchmark.HIT_HASH, "absent");
            default ->
                throw new IllegalArgumentException(
                    "getHit, getMiss, set, setex, del, hgetHit, hgetMiss, lettuceSyncGet or"
                        + " lettuceAsyncGet100, not "
                        + op);
          };
      return new Client(call, jedis);
    }

    @Override
    public void close() throws Exception {
      connection.close();
    }
  }

  /**
   * Redisson's sync {@code RBucket.get} and {@code RMap.get} hits ({@code StringCodec}): one {@code
   * RedisExecutor} per call, the reply decoded on a Netty thread, where keywarm records it.
   */
  private static Client redisson(String op, RedisServer redis) {
    org.redisson.config.Config config = new org.redisson.config.Config();
    config.useSingleServer().setAddress(redis.uri());
    org.redisson.api.RedissonClient redisson = org.redisson.Redisson.create(config);
    org.redisson.client.codec.Codec codec = org.redisson.client.codec.StringCodec.INSTANCE;
    org.redisson.api.RBucket<String> bucket =
        redisson.getBucket(JedisCommandBenchmark.HIT_KEY, codec);
    bucket.set(JedisCommandBenchmark.VALUE);
    org.redisson.api.RMap<String, String> map =
        redisson.getMap(JedisCommandBenchmark.HIT_HASH, codec);
    map.fastPut("profile", JedisCommandBenchmark.VALUE);
    Runnable call =
        switch (op) {
          case "redissonBucketGet" -> bucket::get;
          case "redissonMapGet" -> () -> map.get("profile");
          default ->
              throw new IllegalArgumentException("redissonBucketGet or redissonMapGet, not " + op);
        };
    return new Client(call, redisson::shutdown);
  }

  private static String collectorName() {
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().startsWith("Epsilon")) {
        return "Epsilon";
      }
    }
    return "other";
  }

  static Map<String, long[]> histogram() throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(ProcessHandle.current().pid()),
                "GC.class_histogram",
                "-all")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (jcmd.waitFor() != 0) {
      throw new IllegalStateException("jcmd failed: " + out);
    }
    Map<String, long[]> histogram = new HashMap<>();
    Matcher row = ROW.matcher(out);
    while (row.find()) {
      histogram.put(
          row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
    }
    return histogram;
  }
}
