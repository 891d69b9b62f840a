package dev.keywarm.agent.instrumentation.jedis3;

import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.CommandSpec;
import dev.keywarm.agent.recording.PendingReplies;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jedis 3 writes a command and, separately, reads replies one by one, in order, on the same
 * connection — for a plain call, a pipeline and a transaction alike. So each connection keeps a
 * FIFO of what it sent: a reply read is the reply of the oldest command still waiting. Inside
 * {@code MULTI} a command's own reply is only {@code QUEUED}; its real reply is its element of the
 * {@code EXEC} reply.
 *
 * <p>A connection is used by one thread at a time (Jedis connections are not thread-safe; the pool
 * hands them over with a happens-before edge), so a FIFO needs no lock. At most {@value
 * #MAX_CONNECTIONS} connections are tracked; FIFOs go when the connection is closed.
 */
public final class Jedis3Replies {

  static final int MAX_CONNECTIONS = 10_000;
  private static final Map<Object, Fifo> FIFOS = new ConcurrentHashMap<>();

  /** Markers for what is in flight besides recorded commands. */
  private static final Object OTHER = new Object();

  private static final Object EXEC = new Object();

  private static final byte[] MULTI_NAME = {'M', 'U', 'L', 'T', 'I'};
  private static final byte[] EXEC_NAME = {'E', 'X', 'E', 'C'};
  private static final byte[] DISCARD_NAME = {'D', 'I', 'S', 'C', 'A', 'R', 'D'};

  private static final class Fifo {
    final ArrayDeque<Object> sent = new ArrayDeque<>();

    /** Commands queued inside MULTI, in order; OTHER for those keywarm does not record. */
    final List<Object> transaction = new ArrayList<>();

    boolean inTransaction;
  }

  /** A record whose reply is QUEUED now and arrives with EXEC. */
  private record Queued(CallRecord call) {}

  private Jedis3Replies() {}

  /** The connection wrote a command. From advice; never throws. */
  public static void sent(Object connection, byte[] command, byte[][] arguments) {
    try {
      Fifo fifo = FIFOS.get(connection);
      if (fifo == null) {
        if (FIFOS.size() >= MAX_CONNECTIONS) {
          CallRecord untracked = CallRecord.begin(command);
          if (untracked != null) {
            untracked.untracked(); // not recorded: a write among them must not go unnoticed
          }
          return;
        }
        fifo = new Fifo();
        FIFOS.put(connection, fifo);
      }
      CallRecord call = CallRecord.begin(command);
      Object entry = OTHER;
      if (call != null) {
        for (int i = 0; i < arguments.length; i++) {
          call.argument(i + 1, arguments[i]);
        }
        entry = call.detach();
      }
      if (fifo.inTransaction) {
        if (CommandSpec.isNamed(command, EXEC_NAME)) {
          fifo.inTransaction = false;
          fifo.sent.addLast(EXEC);
          return;
        }
        if (CommandSpec.isNamed(command, DISCARD_NAME)) {
          fifo.inTransaction = false;
          fifo.transaction.clear();
          fifo.sent.addLast(OTHER);
          return;
        }
        fifo.transaction.add(entry);
        fifo.sent.addLast(entry == OTHER ? OTHER : new Queued((CallRecord) entry));
        return;
      }
      if (CommandSpec.isNamed(command, MULTI_NAME)) {
        fifo.inTransaction = true;
        fifo.transaction.clear();
      }
      fifo.sent.addLast(entry);
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** Writing the command failed: no reply will come for it. */
  public static void sendFailed(Object connection) {
    try {
      Fifo fifo = FIFOS.get(connection);
      if (fifo != null && !fifo.sent.isEmpty()) {
        Object entry = fifo.sent.pollLast();
        if (entry instanceof CallRecord call) {
          call.completeDetached(PendingReplies.FAILED); // part of it may have gone out
        }
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** The connection read one reply (or failed to: {@code reply} is then the exception). */
  public static void read(Object connection, Object reply) {
    try {
      Fifo fifo = FIFOS.get(connection);
      if (fifo == null) {
        return;
      }
      Object entry = fifo.sent.pollFirst();
      if (entry instanceof CallRecord call) {
        call.completeDetached(reply);
      } else if (entry instanceof Queued queued && reply instanceof Throwable) {
        fifo.transaction.set(fifo.transaction.indexOf(queued.call()), OTHER);
        queued.call().completeDetached(PendingReplies.FAILED);
      } else if (entry == EXEC) {
        List<?> replies = reply instanceof List<?> list ? list : List.of();
        for (int i = 0; i < fifo.transaction.size(); i++) {
          if (fifo.transaction.get(i) instanceof CallRecord call) {
            call.completeDetached(i < replies.size() ? replies.get(i) : PendingReplies.FAILED);
          }
        }
        fifo.transaction.clear();
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** The connection closed: forget it; commands still waiting for a reply failed. */
  public static void closed(Object connection) {
    try {
      Fifo fifo = FIFOS.remove(connection);
      if (fifo != null) {
        for (Object entry : fifo.sent) {
          if (entry instanceof CallRecord call) {
            call.completeDetached(PendingReplies.FAILED);
          } else if (entry instanceof Queued queued) {
            queued.call().completeDetached(PendingReplies.FAILED);
          }
        }
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }
}
