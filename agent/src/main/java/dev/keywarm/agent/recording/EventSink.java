package dev.keywarm.agent.recording;

import dev.keywarm.schema.FieldMember;

/** Receives drained events on the aggregator thread. */
@FunctionalInterface
public interface EventSink {
  void accept(byte[] key, byte kind, long value);

  /**
   * An event of a hash field (key, field), or of the plain key when {@code field} is null. A sink
   * that can count a field without its member overrides this; by default the member is built.
   */
  default void accept(byte[] key, byte[] field, byte kind, long value) {
    accept(field == null ? key : FieldMember.encode(key, field), kind, value);
  }
}
