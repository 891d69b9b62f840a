package dev.keywarm.agent.recording;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which thread issued an asynchronous command, for when its reply is decoded on an I/O thread
 * shared by many requests: co-access pairs must follow the issuing thread. Lossy and
 * allocation-free: a slot, chosen by the command's identity hash, holds that hash and the thread's
 * tag. A command whose slot another command took before its reply arrived has no known origin: its
 * reads are still counted, just not paired ({@link #UNKNOWN}). With {@value #SLOTS} slots that
 * needs thousands of commands in flight.
 */
final class CommandOrigins {

  /** Thread number of a read whose issuing thread is not known; never given to a thread. */
  static final int UNKNOWN_THREAD = -1;

  static final long UNKNOWN = (long) UNKNOWN_THREAD << 32;

  static final int SLOTS = 1 << 13;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] slots = new long[SLOTS];

  /** {@code threadTag}: a {@link ThreadRecorder#tag()}, the thread number in the high half. */
  void issued(Object command, long threadTag) {
    int hash = System.identityHashCode(command);
    SLOT.setOpaque(slots, hash & (SLOTS - 1), (long) hash << 32 | threadTag >>> 32);
  }

  /** The tag of the thread that issued {@code command}, or {@link #UNKNOWN}. */
  long originOf(Object command) {
    int hash = System.identityHashCode(command);
    long slot = (long) SLOT.getOpaque(slots, hash & (SLOTS - 1));
    return (int) (slot >>> 32) == hash ? slot << 32 : UNKNOWN;
  }
}
