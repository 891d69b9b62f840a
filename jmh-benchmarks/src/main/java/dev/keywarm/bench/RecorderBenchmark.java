package dev.keywarm.bench;

import dev.keywarm.agent.config.AgentOptions;
import dev.keywarm.agent.config.InvalidOptionException;
import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.WindowAggregator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Claim: the request-path half of keywarm — what the Jedis hooks run per synchronous GET — records
 * at least 10 million events per second per core, allocates nothing per record, and at that rate
 * the aggregator thread keeps up (no events lost).
 *
 * <p>What it measures: exactly the calls the hooks make — {@code CallRecord.begin("GET")}, {@code
 * argument(1, key)}, {@code complete(reply, null)} — against an active {@link Recorder}, while a
 * {@link WindowAggregator} drains it concurrently, both built from the agent's default options as
 * {@code AgentInstaller} builds them (two stripes per CPU of 8192 slots, 100 000 keys, 10 s
 * windows, co-access pairs of the last 8 reads within 200 ms). One op = one recorded GET hit. Keys
 * are pre-built byte arrays: 1024 rotating keys (index from a per-thread counter), or one repeated
 * key. The rotating case is the one that matters for the aggregator: every read of a new key is
 * paired with the thread's recent reads.
 *
 * <p>What the result means: ops/s is records offered per second, summed over the benchmark threads
 * (per thread = per core, on a machine with a core per thread). B/op counts every thread, the
 * aggregator's included. A full ring costs the producer less than a recorded event, and the event
 * is then lost (counted, never waited for): so ops/s is only "records per second" if nothing was
 * lost. Each fork prints {@code [recorder] ... lost=N lostInMeasurement=M} at trial end, and the
 * runner's table shows the lost share of the measured ops and the "kept" rate, ops/s × (1 − lost
 * share), which is the rate the aggregator actually sustains. Read ops/s only together with the
 * lost share.
 *
 * <p>What would make it wrong: no active recorder ({@code begin} returns null and the benchmark
 * measures a null check — the setup refuses to start then); no aggregator running (rings fill and
 * everything after the first 8192 events per stripe is a cheap loss); on a 2-core machine the
 * two-thread case also competes with the aggregator for the CPUs, so it cannot show per-core
 * scaling; the classes are the agent module's, relocated in the uber jar ({@code
 * dev.keywarm.bench.shaded}) so they cannot clash with a real {@code -javaagent} — the same
 * bytecode, but built from the agent module at this module's build time, not necessarily the jar
 * the Jedis benchmark attaches.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecorderBenchmark {

  /** The command name exactly as Jedis hands it to the hook. */
  static final byte[] GET_BYTES = "GET".getBytes(StandardCharsets.US_ASCII);

  static final Object REPLY = "value";
  static final int KEY_COUNT = 1024; // a power of two, for the rotation mask

  /**
   * The fork appends one line of loss accounting per trial here when set (the runner's table reads
   * it).
   */
  static final String STATS_FILE = "keywarm.bench.recorderStats";

  @State(Scope.Benchmark)
  public static class Recording {
    /**
     * on: the agent's default (each read paired with the thread's recent reads on the aggregator);
     * off: {@code pairkeys=0}, counting only — shows what the pairing costs the aggregator.
     */
    @Param({"on", "off"})
    public String coAccessPairs;

    Recorder recorder;
    WindowAggregator aggregator;
    final byte[][] keys = new byte[KEY_COUNT][];
    final byte[] repeatedKey = "user:session:42".getBytes(StandardCharsets.US_ASCII);

    private long lostAtIterationStart;
    private long lostInMeasurement;

    @Setup(Level.Trial)
    public void start() {
      for (int i = 0; i < KEY_COUNT; i++) {
        keys[i] = ("user:session:" + i).getBytes(StandardCharsets.US_ASCII);
      }
      // sized and configured exactly as the agent's defaults (AgentInstaller does the same with the
      // options it parsed): 8192 slots per stripe, 100 000 keys, 10 s windows, co-access pairs on
      AgentOptions defaults =
          defaults(coAccessPairs.equals("on") ? "app=bench" : "app=bench,pairkeys=0");
      recorder =
          new Recorder(
              Recorder.defaultStripes(), defaults.bufferSlots(), defaults.loadWindow().toNanos());
      recorder.activate();
      aggregator =
          new WindowAggregator(
              recorder,
              defaults.maxKeys(),
              defaults.keyBytes(),
              defaults.flushInterval().toNanos(),
              defaults.pairKeys(),
              defaults.pairTime().toMillis(),
              defaults.maxPairs(),
              defaults.keyPrivacy(),
              snapshot -> {},
              System::currentTimeMillis);
      aggregator.start();
      System.out.println(
          "[recorder] agent options: " + defaults + ", pairkeys=" + defaults.pairKeys());
      CallRecord probe = CallRecord.begin(GET_BYTES);
      if (probe == null) {
        throw new IllegalStateException(
            "no active recorder: the benchmark would measure a null check");
      }
      probe.complete(
          null, null); // leaves the thread's scratch record clean (GET with no key records nothing)
    }

    private static AgentOptions defaults(String agentArgs) {
      try {
        return AgentOptions.parse(agentArgs, property -> null, variable -> null, "bench");
      } catch (InvalidOptionException e) {
        throw new IllegalStateException(e);
      }
    }

    @Setup(Level.Iteration)
    public void iterationStart() {
      lostAtIterationStart = recorder.lostEvents();
    }

    @TearDown(Level.Iteration)
    public void iterationEnd(IterationParams iteration) {
      if (iteration.getType() == IterationType.MEASUREMENT) {
        lostInMeasurement += recorder.lostEvents() - lostAtIterationStart;
      }
    }

    @TearDown(Level.Trial)
    public void stop(BenchmarkParams benchmark) throws InterruptedException {
      aggregator.stop(1000);
      recorder.deactivate();
      long drained = aggregator.recordedEvents();
      long lost = recorder.lostEvents();
      String name = benchmark.getBenchmark();
      String line =
          name.substring(name.lastIndexOf('.') + 1)
              + "/pairs="
              + coAccessPairs
              + " threads="
              + benchmark.getThreads()
              + " recorded="
              + drained
              + " lost="
              + lost
              + " lostInMeasurement="
              + lostInMeasurement;
      System.out.println("[recorder] " + line);
      if (drained == 0) {
        throw new IllegalStateException("the aggregator drained nothing: every event was lost");
      }
      String file = System.getProperty(STATS_FILE);
      if (file != null) {
        try {
          Files.writeString(
              Path.of(file),
              line + System.lineSeparator(),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** Each benchmark thread's own position in the key rotation. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    byte[] key(Recording recording) {
      int i = next;
      next = (i + 1) & (KEY_COUNT - 1);
      return recording.keys[i];
    }
  }

  /** The hook's hot path for one synchronous GET hit. */
  static void recordGetHit(byte[] key) {
    CallRecord call = CallRecord.begin(GET_BYTES);
    if (call != null) {
      call.argument(1, key);
      call.complete(REPLY, null);
    }
  }

  @Benchmark
  @Threads(1)
  public void rotatingKeys_1thread(Recording recording, Cursor cursor) {
    recordGetHit(cursor.key(recording));
  }

  @Benchmark
  @Threads(2)
  public void rotatingKeys_2threads(Recording recording, Cursor cursor) {
    recordGetHit(cursor.key(recording));
  }

  @Benchmark
  @Threads(1)
  public void repeatedKey_1thread(Recording recording) {
    recordGetHit(recording.repeatedKey);
  }

  @Benchmark
  @Threads(2)
  public void repeatedKey_2threads(Recording recording) {
    recordGetHit(recording.repeatedKey);
  }
}
