package dev.keywarm.agent.recording;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, lossy, lock-free multi-producer / single-consumer ring of events: the only thing an
 * intercepted call touches. Each slot carries a sequence number (Vyukov's bounded MPMC queue,
 * reduced to one consumer): a producer claims a slot with one CAS on the tail, writes the event and
 * publishes it with a release store of the slot's sequence; the aggregator thread reads published
 * slots in order and hands them back. A full ring makes {@link #offer} return false at once — the
 * caller counts the loss and moves on, so a stalled consumer can never slow the application.
 *
 * <p>Memory: {@code capacity × (8 + 8 + 8 + 8 + 1)} bytes plus the keys (and hash fields) it still
 * references (at most one buffer's worth of the application's own arrays, released as soon as they
 * are drained). A hash field's event carries key and field apart, as the sink receives them ({@link
 * EventSink#accept(byte[], byte[], byte, long)}): its member is built only where kept.
 */
final class EventRing {

  private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

  private final int mask;
  private final long[] sequences;
  private final byte[][] keys;

  /** A hash entry's field beside its key; null for a plain key. */
  private final byte[][] fields;

  private final byte[] kinds;
  private final long[] values;
  private final AtomicLong tail = new AtomicLong();

  /** Written by the consumer only; read by producers solely to decide when to wake it. */
  private volatile long head;

  EventRing(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    mask = capacity - 1;
    sequences = new long[capacity];
    keys = new byte[capacity][];
    fields = new byte[capacity][];
    kinds = new byte[capacity];
    values = new long[capacity];
    for (int i = 0; i < capacity; i++) {
      sequences[i] = i;
    }
  }

  /**
   * Adds an event; returns the slot's position (≥ 0) or -1 if the ring was full. The position lets
   * the caller decide cheaply whether the consumer should be woken early.
   */
  long offer(byte[] key, byte[] field, byte kind, long value) {
    for (; ; ) {
      long position = tail.get();
      int index = (int) position & mask;
      long sequence = (long) SEQUENCE.getAcquire(sequences, index);
      if (sequence == position) {
        if (tail.compareAndSet(position, position + 1)) {
          keys[index] = key;
          fields[index] = field;
          kinds[index] = kind;
          values[index] = value;
          SEQUENCE.setRelease(sequences, index, position + 1);
          return position;
        }
      } else if (sequence < position) {
        return -1;
      }
      // another producer took this slot first: try the next one
    }
  }

  /** Events published but not yet drained; approximate while producers are active. */
  long backlog(long position) {
    return position - head;
  }

  int capacity() {
    return mask + 1;
  }

  /** Drains up to {@code max} events in order. Consumer thread only. */
  int drain(EventSink sink, int max) {
    long position = head;
    int drained = 0;
    while (drained < max) {
      int index = (int) position & mask;
      if ((long) SEQUENCE.getAcquire(sequences, index) != position + 1) {
        break;
      }
      byte[] key = keys[index];
      byte[] field = fields[index];
      byte kind = kinds[index];
      long value = values[index];
      keys[index] = null;
      fields[index] = null;
      SEQUENCE.setRelease(sequences, index, position + mask + 1);
      position++;
      drained++;
      sink.accept(key, field, kind, value);
    }
    if (drained > 0) {
      head = position;
    }
    return drained;
  }
}
