package dev.keywarm.bench;

import dev.keywarm.testsupport.RedisServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Claim: a Redisson {@code RBucket.get} and {@code RMap.get} hit (sync, {@code StringCodec}) cost
 * the same with keywarm attached as without, in ns/op and B/op, while the OpenTelemetry agent adds
 * a span per command. Run only through {@link AgentOverheadMain}, which forks each variant with its
 * {@code -javaagent}; a fork without the agent its variant names fails ({@link AgentCheck}).
 *
 * <p>What would make it wrong: as for Lettuce, the reply is decoded on a Netty thread, so CPU
 * placement matters as much as the agent; and Redisson allocates about 2 KB per call of its own,
 * part of which C2 removes in some forks and not in others, so B/op differences below ±30 B are
 * Redisson's JIT, not the agent (jmh-benchmarks/README.md, "Redisson").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class RedissonCommandBenchmark {

  private RedisServer redis;
  private RedissonClient client;
  private RBucket<String> bucket;
  private RMap<String, String> map;

  @Setup(Level.Trial)
  public void start() {
    AgentCheck.verifyAttached();
    redis = CpuPinning.forkOwnRedis();
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri());
    client = Redisson.create(config);
    bucket = client.getBucket(JedisCommandBenchmark.HIT_KEY, StringCodec.INSTANCE);
    bucket.set(JedisCommandBenchmark.VALUE);
    map = client.getMap(JedisCommandBenchmark.HIT_HASH, StringCodec.INSTANCE);
    map.fastPut("profile", JedisCommandBenchmark.VALUE);
  }

  @TearDown(Level.Trial)
  public void stop() {
    try {
      AgentCheck.verifyRecorded();
    } finally {
      client.shutdown();
      redis.close();
    }
  }

  /** One synchronous {@code RBucket.get} of a key that exists: a GET. */
  @Benchmark
  public String redissonBucketGet() {
    return bucket.get();
  }

  /** One synchronous {@code RMap.get} of a field that exists: an HGET. */
  @Benchmark
  public String redissonMapGet() {
    return map.get("profile");
  }
}
