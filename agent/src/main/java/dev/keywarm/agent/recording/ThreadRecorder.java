package dev.keywarm.agent.recording;

import dev.keywarm.schema.KeySchema;

/**
 * One application thread's recording state: the buffer stripe it writes to, its load timer and the
 * scratch record its hooks fill. Reached through one thread-local lookup per intercepted call.
 */
final class ThreadRecorder {

  private final Recorder recorder;
  private final EventRing ring;

  /**
   * Identifies this thread's reads to the co-access tracker; in the high half of a read's value.
   */
  private final long tag;

  final CallRecord call;

  ThreadRecorder(Recorder recorder, EventRing ring, int tag) {
    this.recorder = recorder;
    this.ring = ring;
    this.tag = (long) tag << 32;
    this.call = new CallRecord(this);
  }

  /**
   * A read that hit. {@code originTag} is {@link #tag()} of the thread that issued the command: for
   * a pipelined or asynchronous command the reply may arrive on another thread (an I/O thread
   * shared by many requests), and pairs must follow the issuing thread, not the I/O thread.
   */
  void hit(byte[] key, long originTag) {
    hit(key, null, originTag);
  }

  /**
   * The methods taking a {@code field} record the entry (key, field) of a hash, or the plain key
   * when {@code field} is null. Key and field stay the client's own arrays until drained, where the
   * entry's member is built ({@link EventRing}): no allocation here either way.
   */
  void hit(byte[] key, byte[] field, long originTag) {
    offer(key, field, EventKind.HIT, readStamp(originTag));
  }

  void miss(byte[] key, long originTag) {
    miss(key, null, originTag);
  }

  void miss(byte[] key, byte[] field, long originTag) {
    if (offer(key, field, EventKind.MISS, readStamp(originTag))) {
      recorder.missTimes().missed(key, field, System.nanoTime());
    }
  }

  /** A write that left the key with {@code ttl} ({@link EventKind#TTL_NONE}, ms, or unknown). */
  void write(byte[] key, long ttl) {
    write(key, null, ttl);
  }

  void write(byte[] key, byte[] field, long ttl) {
    if (offer(key, field, EventKind.WRITE, ttl)) {
      long nanos = recorder.missTimes().loaded(key, field, System.nanoTime());
      if (nanos >= 0) {
        offer(key, field, EventKind.LOAD, nanos);
      }
    }
  }

  /** EXPIRE and the like applied: the key's expiry is now {@code ttl}. */
  void expiry(byte[] key, long ttl) {
    offer(key, null, EventKind.EXPIRY, ttl);
  }

  /** Keys changed that cannot be named (FLUSHALL): no value read before is vouched for. */
  void unknownChange() {
    if (recorder.recordsInvalidations()) {
      recorder.invalidationLost();
    }
  }

  void invalidate(byte[] key, boolean deleted) {
    invalidate(key, null, deleted);
  }

  void invalidate(byte[] key, byte[] field, boolean deleted) {
    if (recorder.recordsInvalidations() || (deleted && recorder.recordsDeletes())) {
      offer(key, field, EventKind.INVALIDATE, deleted ? EventKind.DELETED : 0);
    }
  }

  long tag() {
    return tag;
  }

  CommandOrigins origins() {
    return recorder.origins();
  }

  /** Thread tag and coarse time of a read, for pairing reads of one thread close in time. */
  private long readStamp(long originTag) {
    return originTag | (recorder.coarseMillis() & 0xFFFF_FFFFL);
  }

  void error() {
    recorder.commandFailed();
  }

  private boolean offer(byte[] key, byte[] field, byte kind, long value) {
    if (key == null || KeySchema.isKeywarmKey(key)) {
      return false;
    }
    long position = ring.offer(key, field, kind, value);
    if (position < 0) {
      if (kind == EventKind.INVALIDATE || kind == EventKind.EXPIRY) {
        recorder.invalidationLost();
      } else if (kind != EventKind.LOAD) {
        recorder.eventLost(kind != EventKind.WRITE);
      }
      return false;
    }
    // Every quarter of a ring, look whether the consumer is falling behind and wake it early.
    if ((position & ((ring.capacity() >> 2) - 1)) == 0
        && ring.backlog(position) > ring.capacity() / 2) {
      recorder.wakeConsumer();
    }
    return true;
  }
}
