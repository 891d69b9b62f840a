package dev.keywarm.agent.recording;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Commands queued in a pipeline or MULTI block whose replies have not arrived yet, keyed by the
 * client's response object (identity: Jedis' {@code Response} does not override equals). A command
 * is counted with its real outcome when the client hands the reply to that response object.
 *
 * <p>Bounded: a block that is discarded, or a pipeline that is abandoned without a sync, never gets
 * its replies, so entries older than {@link #MAX_AGE_NANOS} are swept once the map reaches {@link
 * #MAX_ENTRIES}; if it is still full, the new command is not tracked and counted as lost.
 */
public final class PendingReplies {

  static final int MAX_ENTRIES = 65_536;
  static final long MAX_AGE_NANOS = 60_000_000_000L;

  private static final Map<Object, Pending> PENDING = new ConcurrentHashMap<>();
  private static final AtomicInteger SIZE = new AtomicInteger();

  private record Pending(CallRecord call, long queuedAt) {}

  private PendingReplies() {}

  /** Remembers a queued command until its response object receives the reply. From advice. */
  public static void queued(CallRecord call, Object response) {
    try {
      if (call == null || response == null || !call.hasKeys()) {
        return;
      }
      CallRecord detached = call.detach();
      if (SIZE.get() >= MAX_ENTRIES && !sweep()) {
        Recorder recorder = Recorder.active();
        if (recorder != null) {
          recorder.eventLost(call.reads());
          detached.untracked();
        }
        return;
      }
      if (PENDING.put(response, new Pending(detached, System.nanoTime())) == null) {
        SIZE.incrementAndGet();
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** The reply for {@code response} arrived. From advice on the response's setter. */
  public static void replied(Object response, Object rawReply) {
    try {
      if (SIZE.get() == 0) {
        return;
      }
      Pending pending = PENDING.remove(response);
      if (pending != null) {
        SIZE.decrementAndGet();
        pending.call.completeDetached(rawReply);
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** A reply that is an error (an error reply, an exception, a cancellation): counted as failed. */
  public static final Object FAILED =
      new Object() {
        @Override
        public String toString() {
          return "FAILED";
        }
      };

  /** True when nothing waits for a reply: lets a hook on every completion return at once. */
  public static boolean isEmpty() {
    return SIZE.get() == 0;
  }

  private static synchronized boolean sweep() {
    long now = System.nanoTime();
    for (Iterator<Pending> it = PENDING.values().iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (now - pending.queuedAt > MAX_AGE_NANOS) {
        pending.call.untracked(); // its reply never came: if it could write, say so
        it.remove();
        SIZE.decrementAndGet();
      }
    }
    return SIZE.get() < MAX_ENTRIES;
  }
}
