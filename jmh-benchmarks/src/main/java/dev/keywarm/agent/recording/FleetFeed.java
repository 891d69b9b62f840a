package dev.keywarm.agent.recording;

/**
 * For the fleet benchmark only: records into one given {@link Recorder} — what the client hooks do
 * through the JVM's one active recorder — so that one JVM can hold many simulated instances, each
 * with its own recorder, aggregator and flusher. It calls the hooks' own per-thread path ({@link
 * ThreadRecorder}); it lives in the recorder's package because that path is package-private.
 */
public final class FleetFeed {

  private final ThreadRecorder thread;

  /** On the calling thread: the thread's stripe of {@code recorder}. */
  public FleetFeed(Recorder recorder) {
    this.thread = recorder.threadRecorder();
  }

  public void hit(byte[] key) {
    thread.hit(key, thread.tag());
  }

  public void miss(byte[] key) {
    thread.miss(key, thread.tag());
  }

  /** A write with a TTL in ms. */
  public void write(byte[] key, long ttlMillis) {
    thread.write(key, ttlMillis);
  }
}
