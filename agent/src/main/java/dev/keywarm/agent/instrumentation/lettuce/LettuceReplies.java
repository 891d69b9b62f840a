package dev.keywarm.agent.instrumentation.lettuce;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Lettuce's replies in the shape the recorder reads: an {@code MGET} answers a list of
 * {@code KeyValue}s, where a nil is an empty KeyValue rather than null, so such a list becomes a list
 * with null for every empty value. Other replies pass through unchanged.
 */
public final class LettuceReplies {

  private static final ClassValue<MethodHandle> HAS_VALUE = new ClassValue<>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      return noArgMethod(type, "hasValue", boolean.class);
    }
  };

  private static final ClassValue<MethodHandle> GET_BYTES = new ClassValue<>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      return noArgMethod(type, "getBytes", byte[].class);
    }
  };

  private LettuceReplies() {}

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
      present.add(value != null && (boolean) HAS_VALUE.get(value.getClass()).invoke(value)
          ? Boolean.TRUE : null);
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
      return MethodHandles.lookup().unreflect(method)
          .asType(MethodType.methodType(returns == boolean.class ? boolean.class : Object.class,
              Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
