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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import redis.clients.jedis.Jedis;

/**
 * Claim: one synchronous Jedis GET (hit or miss) or SET over loopback costs the same with the
 * keywarm agent attached as without, in time and in bytes allocated per call; with the
 * OpenTelemetry agent it costs measurably more.
 *
 * <p>What the result means: the benchmark itself knows nothing about agents. {@link
 * AgentOverheadMain} runs this same class in three forks per round — no agent, {@code
 * -javaagent:keywarm.jar}, {@code -javaagent:opentelemetry-javaagent.jar} exporting batched spans
 * over OTLP to a port nobody listens on — and subtracts. ns/op is one full round trip to a private
 * redis-server started inside the fork: about 8 µs with the runner's default placement (JVM and
 * redis-server pinned to one CPU, {@link CpuPinning}), 65-100 µs when they sit on different CPUs of
 * a small VM; differences of a few hundred ns are within noise on a shared 2-core machine. B/op
 * ({@code -prof gc}, {@code gc.alloc.rate.norm}) counts every thread of the JVM, including the
 * agents' background threads, and is nearly deterministic: the number to trust for "what does the
 * agent add per call".
 *
 * <p>What would make it wrong: (1) the agent not attached to the fork — JMH's command-line {@code
 * -jvmArgsAppend} replaces rather than adds to a {@code @Fork(jvmArgsAppend)}, silently dropping an
 * agent; {@link AgentCheck} therefore checks the fork's command line and the agent's start in
 * {@code @Setup}, and that keywarm really recorded the calls in {@code @TearDown}. (2) GET of a
 * missing key measured as a hit, or the reverse — the setup checks both before measuring. (3) a
 * Redis shared with anything else (never the machine's 6379): the fork starts its own. (4) OTel
 * doing no work ({@code otel.traces.exporter=none} creates no spans at all). (5) comparing numbers
 * from different runs of a noisy machine: compare only variants measured side by side.
 *
 * <p>Keys are constant Strings, so the only per-call key bytes are the array Jedis itself encodes;
 * keywarm, with a repeated key, should add 0 B/op.
 *
 * <p>keywarm's stats target is not configured: its default is the first Redis the application
 * connects to, i.e. the same private server (a 10 s flush of a handful of ZINCRBYs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class JedisCommandBenchmark {

  static final String HIT_KEY = "bench:present";
  static final String MISS_KEY = "bench:absent";

  /** A hash with one field, {@code profile}, for the census's HGET calls. */
  static final String HIT_HASH = "bench:user:1";

  static final String SET_KEY = "bench:written";
  static final String VALUE = "v".repeat(64);

  private RedisServer redis;
  private Jedis jedis;
  private int warmupsDone;
  private boolean agentChecked;

  @Setup(Level.Trial)
  public void start() {
    AgentCheck.verifyAttached();
    redis = CpuPinning.forkOwnRedis();
    jedis = new Jedis(redis.host(), redis.port());
    jedis.set(HIT_KEY, VALUE);
    jedis.del(MISS_KEY);
    if (!VALUE.equals(jedis.get(HIT_KEY)) || jedis.get(MISS_KEY) != null) {
      throw new IllegalStateException("hit key must exist and miss key must not");
    }
  }

  /**
   * After the last warmup iteration (whose allocations and time are not reported): keywarm, when
   * attached, must have recorded the calls. Checked here rather than at trial end, which JMH runs
   * inside the last measured iteration's profiling window.
   */
  @TearDown(Level.Iteration)
  public void afterIteration(IterationParams iteration) {
    if (iteration.getType() == IterationType.WARMUP && ++warmupsDone == iteration.getCount()) {
      AgentCheck.verifyRecorded();
      agentChecked = true;
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    try {
      if (!agentChecked) {
        AgentCheck.verifyRecorded(); // no warmup iterations
      }
      if (jedis.exists(MISS_KEY)) {
        throw new IllegalStateException(MISS_KEY + " appeared: getMiss did not measure misses");
      }
    } finally {
      jedis.close();
      redis.close();
    }
  }

  /** GET of a key that exists; the reply is a 64-byte value. */
  @Benchmark
  public String getHit() {
    return jedis.get(HIT_KEY);
  }

  /** GET of a key that does not exist; the reply is nil. */
  @Benchmark
  public String getMiss() {
    return jedis.get(MISS_KEY);
  }

  /** SET of the same key and 64-byte value every time; the reply is OK. */
  @Benchmark
  public String set() {
    return jedis.set(SET_KEY, VALUE);
  }

  /** SETEX of the same key, a 10 min TTL and 64-byte value: the agent records the TTL too. */
  @Benchmark
  public String setex() {
    return jedis.setex(SET_KEY, 600, VALUE);
  }

  /** DEL of a key that does not exist (reply 0): recorded only as an invalidation, if at all. */
  @Benchmark
  public long del() {
    return jedis.del(MISS_KEY);
  }
}
