package dev.keywarm.bench;

import dev.keywarm.testsupport.RedisServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
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

/**
 * Claim: a Lettuce GET costs the same with keywarm attached as without — a sync GET (one round
 * trip) and an async batch of 100 GETs awaited together (the shape of a fan-out read) — in ns/op
 * and B/op, while the OpenTelemetry agent adds a span per command. Run only through {@link
 * AgentOverheadMain}, which forks each variant with its {@code -javaagent}; a fork without the
 * agent its variant names fails ({@link AgentCheck}).
 *
 * <p>What would make it wrong: Lettuce's I/O thread does the decoding, so with both the benchmark
 * thread and the event loop busy on a 2-CPU machine, CPU placement matters as much as the agent —
 * which is why the runner pins forks and their Redis the same way for every variant.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class LettuceCommandBenchmark {

  static final String HIT_KEY = "bench:present";
  static final int BATCH = 100;

  private RedisServer redis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> sync;
  private RedisAsyncCommands<String, String> async;

  @SuppressWarnings("unchecked")
  private final RedisFuture<String>[] batch = new RedisFuture[BATCH];

  @Setup(Level.Trial)
  public void start() {
    AgentCheck.verifyAttached();
    redis = CpuPinning.forkOwnRedis();
    client = RedisClient.create(redis.uri());
    connection = client.connect();
    sync = connection.sync();
    async = connection.async();
    sync.set(HIT_KEY, "v".repeat(64));
  }

  @TearDown(Level.Trial)
  public void stop() {
    try {
      AgentCheck.verifyRecorded();
    } finally {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      redis.close();
    }
  }

  /** One synchronous GET of a key that exists. */
  @Benchmark
  public String lettuceSyncGet() {
    return sync.get(HIT_KEY);
  }

  /** 100 asynchronous GETs, then waiting for all of them: one op is the whole batch. */
  @Benchmark
  public String lettuceAsyncGet100() {
    for (int i = 0; i < BATCH; i++) {
      batch[i] = async.get(HIT_KEY);
    }
    if (!LettuceFutures.awaitAll(Duration.ofSeconds(5), batch)) {
      throw new IllegalStateException("async batch timed out");
    }
    return batch[BATCH - 1].toCompletableFuture().getNow(null);
  }
}
