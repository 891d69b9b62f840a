package dev.keywarm.agent;

import dev.keywarm.agent.config.AgentOptions;
import dev.keywarm.agent.config.InvalidOptionException;
import dev.keywarm.agent.flush.StatsFlusher;
import dev.keywarm.agent.instrumentation.HookInstaller;
import dev.keywarm.agent.jmx.KeywarmAgentMetrics;
import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.WindowAggregator;
import dev.keywarm.schema.KeySchema;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wires the agent together: options, recorder, aggregator and flusher threads, JMX, the shutdown
 * flush, then the hooks. Loaded by the bootstrap class loader (see {@link KeywarmAgent}) so that hooks
 * inlined into any class loader's Jedis can reach the recorder.
 *
 * <p>Whatever happens here, the application starts: bad options, a failed install or an internal
 * error each print one line and leave the JVM as it was.
 */
public final class AgentInstaller {

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();
  /** Let the application configure JMX and logging first (see {@link KeywarmAgentMetrics}). */
  private static final long JMX_DELAY_MILLIS = 5_000;
  private static final String SHADED_BYTE_BUDDY_SAFE = "dev.keywarm.shaded.bytebuddy.safe";

  private AgentInstaller() {}

  /** Entry point, called reflectively by {@link KeywarmAgent}. Never throws. */
  public static void install(String agentArgs, Instrumentation instrumentation, File agentJar) {
    AgentOptions options;
    try {
      options = AgentOptions.fromEnvironment(agentArgs);
    } catch (InvalidOptionException e) {
      AgentLog.error(e.getMessage() + " — keywarm is disabled; the application runs unrecorded");
      return;
    }
    try {
      AgentLog.setThreshold(options.logLevel());
      if (!options.recording()) {
        AgentLog.info("recording=off: no hooks installed");
        return;
      }
      if (!INSTALLED.compareAndSet(false, true)) {
        AgentLog.warn("keywarm is already installed in this JVM; ignoring the second start");
        return;
      }
      start(options, instrumentation, agentJar);
    } catch (Throwable t) {
      AgentLog.error("could not start (" + t + ") — keywarm is disabled; the application runs "
          + "unrecorded");
    }
  }

  private static void start(AgentOptions options, Instrumentation instrumentation, File agentJar)
      throws Exception {
    KeySchema schema = KeySchema.forApp(options.app());
    Recorder recorder = new Recorder(Recorder.defaultStripes(), options.bufferSlots(),
        options.loadWindow().toNanos());
    StatsFlusher flusher = new StatsFlusher(schema, options.retention(), options.redis(),
        options.timeout(), options.backlogEntries(), options.flushInterval());
    KeywarmAgentMetrics[] metrics = new KeywarmAgentMetrics[1];
    WindowAggregator aggregator = new WindowAggregator(recorder, options.maxKeys(),
        options.flushInterval().toNanos(), options.pairKeys(), options.pairTime().toMillis(),
        options.maxPairs(), options.keyPrivacy(), snapshot -> {
          metrics[0].summaryDropped(snapshot.droppedHits() + snapshot.droppedMisses()
              + snapshot.droppedWrites());
          flusher.submit(snapshot);
        }, System::currentTimeMillis);
    metrics[0] = new KeywarmAgentMetrics(options.app(), recorder, aggregator, flusher);

    flusher.start();
    aggregator.start();
    Thread jmx = new Thread(() -> {
      try {
        Thread.sleep(JMX_DELAY_MILLIS);
        metrics[0].register();
      } catch (InterruptedException ignored) {
        // the JVM is exiting
      }
    }, "keywarm-jmx");
    jmx.setDaemon(true);
    jmx.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        long budget = options.shutdownFlush().toMillis();
        aggregator.stop(budget / 3);
        flusher.flushOnExit(options.shutdownFlush().multipliedBy(2).dividedBy(3));
      } catch (Throwable t) {
        AgentLog.warn("final flush failed: " + t);
      }
    }, "keywarm-shutdown"));

    recorder.activate();
    // Advice is inlined and no class is ever injected, so Byte Buddy never needs sun.misc.Unsafe;
    // its "safe" mode keeps it from probing Unsafe (which JDK 24+ warns about on every start). The
    // property name is relocated along with Byte Buddy, so it is ours alone.
    if (System.getProperty(SHADED_BYTE_BUDDY_SAFE) == null) {
      System.setProperty(SHADED_BYTE_BUDDY_SAFE, "true");
    }
    HookInstaller.install(instrumentation, agentJar);
    AgentLog.info("recording " + options);
  }
}
