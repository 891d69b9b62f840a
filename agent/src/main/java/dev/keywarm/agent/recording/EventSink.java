package dev.keywarm.agent.recording;

/** Receives drained events on the aggregator thread. */
@FunctionalInterface
public interface EventSink {
  void accept(byte[] key, byte kind, long value);
}
