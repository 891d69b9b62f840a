package dev.keywarm.agent.instrumentation.lettuce;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lettuce's replies in the shape the recorder reads. An {@code MGET} answers {@code KeyValue}s,
 * where a nil is an empty KeyValue rather than null — and a reactive MGET streams them to its
 * subscriber instead of collecting them, so the output holds nothing at completion. So for an MGET
 * the output is watched while it decodes ({@link #valueDecoded}): each value is noted present or
 * nil, and that list (null for nil) is the reply. Other replies pass through unchanged.
 */
public final class LettuceReplies {

  /** MGET outputs being decoded; at most {@value #MAX_WATCHED}, removed at completion. */
  private static final int MAX_WATCHED = 65_536;

  private static final Map<Object, List<Object>> DECODED = new ConcurrentHashMap<>();

  private static final ClassValue<MethodHandle> HAS_VALUE =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return noArgMethod(type, "hasValue", boolean.class);
        }
      };

  private static final ClassValue<MethodHandle> GET_BYTES =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return noArgMethod(type, "getBytes", byte[].class);
        }
      };

  private LettuceReplies() {}

  /** An MGET was dispatched: note its values as they are decoded. From advice. */
  public static void expectValues(Object output) {
    if (output != null && DECODED.size() < MAX_WATCHED) {
      DECODED.put(output, new ArrayList<>());
    }
  }

  /** One value of a watched output was decoded (null bytes: nil). From advice. */
  public static void valueDecoded(Object output, boolean present) {
    if (!DECODED.isEmpty()) {
      List<Object> values = DECODED.get(output);
      if (values != null) {
        values.add(present ? Boolean.TRUE : null);
      }
    }
  }

  /** The reply of a completed command: what was decoded for a watched MGET, else its value. */
  public static Object reply(Object output, Object value) {
    List<Object> decoded = DECODED.isEmpty() ? null : DECODED.remove(output);
    return decoded != null ? decoded : normalize(value);
  }

  /** A failed or cancelled command: stop watching its output. */
  public static void forget(Object output) {
    if (output != null && !DECODED.isEmpty()) {
      DECODED.remove(output);
    }
  }

  /** Called from advice: never throws; a reply it cannot read passes through unchanged. */
  public static Object normalize(Object reply) {
    try {
      return normalizeList(reply);
    } catch (Throwable t) {
      return reply;
    }
  }

  private static Object normalizeList(Object reply) throws Throwable {
    if (!(reply instanceof List<?> values) || values.isEmpty()) {
      return reply;
    }
    Object first = values.get(0);
    MethodHandle hasValue = first == null ? null : HAS_VALUE.get(first.getClass());
    if (hasValue == null) {
      return reply;
    }
    List<Object> present = new ArrayList<>(values.size());
    for (Object value : values) {
      present.add(
          value != null && (boolean) HAS_VALUE.get(value.getClass()).invoke(value)
              ? Boolean.TRUE
              : null);
    }
    return present;
  }

  /** {@code ProtocolKeyword.getBytes()}, present in every Lettuce (unlike {@code name()}). */
  static byte[] keywordBytes(Object keyword) throws Throwable {
    MethodHandle getBytes = GET_BYTES.get(keyword.getClass());
    return getBytes == null ? null : (byte[]) getBytes.invoke(keyword);
  }

  private static MethodHandle noArgMethod(Class<?> type, String name, Class<?> returns) {
    try {
      var method = type.getMethod(name);
      if (method.getReturnType() != returns) {
        return null;
      }
      method.setAccessible(true);
      return MethodHandles.lookup()
          .unreflect(method)
          .asType(
              MethodType.methodType(
                  returns == boolean.class ? boolean.class : Object.class, Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
