package dev.keywarm.agent.instrumentation.redisson;

import dev.keywarm.agent.recording.CallRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Redisson's replies in the shape the recorder reads. Redisson converts a reply before it completes
 * the command: {@code SET} and {@code PSETEX} answer null ({@code VoidReplayConvertor}) for OK,
 * {@code SET ... NX} and {@code SETNX} answer a Boolean, and an {@code MGET} ({@code RBuckets.get})
 * or {@code HMGET} ({@code RMap.getAll}) a map of the values found. So a void reply is OK, a
 * converted Boolean is 1 or nil, and for MGET and HMGET the raw list is read as it is about to be
 * decoded ({@link #listDecoded}): present or nil per position, held for this thread until the
 * completion that follows on it. A list whose completion comes later (inside a {@code MULTI} batch,
 * completed only with {@code EXEC}) is found only if it was the thread's last.
 */
public final class RedissonReplies {

  /** What this thread decoded last: the command and its values' presence. */
  private static final class Decoded {
    Object command;
    final List<Object> present = new ArrayList<>();
  }

  private static final ThreadLocal<Decoded> LAST = ThreadLocal.withInitial(Decoded::new);

  private RedissonReplies() {}

  /** A list reply of {@code data} is about to be decoded. From advice; never throws. */
  public static void listDecoded(Object data, String name, List<Object> parts) {
    try {
      if (!name.equals("MGET") && !name.equals("HMGET")) {
        return;
      }
      Decoded decoded = LAST.get();
      decoded.command = data;
      decoded.present.clear();
      for (Object part : parts) {
        decoded.present.add(part != null ? Boolean.TRUE : null);
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** The reply as the recorder reads it. */
  static Object reply(CallRecord call, Object data, Object convertor, Object result) {
    if (call.readsEachKey()) {
      Decoded decoded = LAST.get();
      if (decoded.command != data) {
        return null; // the raw values are gone: no read is counted
      }
      decoded.command = null;
      return decoded.present; // read before this thread decodes another list
    }
    if (convertor == null) {
      return result;
    }
    String type = convertor.getClass().getSimpleName();
    if (result == null && type.equals("VoidReplayConvertor")) {
      return "OK";
    }
    if (result instanceof Boolean b && !type.equals("EmptyConvertor")) {
      return b ? 1L : null;
    }
    return result;
  }

  /** A command that is not recorded: drop its list, if this thread holds it. */
  static void forget(Object data) {
    Decoded decoded = LAST.get();
    if (decoded.command == data) {
      decoded.command = null;
    }
  }
}
