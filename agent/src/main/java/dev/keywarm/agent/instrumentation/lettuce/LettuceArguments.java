package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.instrumentation.EncodedKeys;
import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.recording.CallRecord;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a Lettuce {@code CommandArgs}' arguments as bytes: keys encoded with the connection's own
 * codec (so custom codecs and Spring's serializers give the bytes Redis really stores) and keywords
 * such as {@code NX}. Lettuce has no public accessor for the arguments, so this reads its {@code
 * singularArguments} list by reflection, resolved once per argument class; this class is loaded by
 * the bootstrap loader and cannot name Lettuce types. If a Lettuce version changes those internals,
 * the command is simply not recorded and one line says so.
 */
public final class LettuceArguments {

  private static final AtomicBoolean REPORTED = new AtomicBoolean();

  private static final ClassValue<MethodHandle> ARGUMENT_LIST =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return getter(type, "singularArguments");
        }
      };

  /** How to turn one argument of a given class into bytes (null: not needed). */
  private static final ClassValue<ArgumentReader> READERS =
      new ClassValue<>() {
        @Override
        protected ArgumentReader computeValue(Class<?> type) {
          return ArgumentReader.forType(type);
        }
      };

  private LettuceArguments() {}

  /** Called from advice: never throws. */
  public static void read(CallRecord call, Object commandArgs) {
    if (commandArgs == null) {
      return;
    }
    try {
      MethodHandle list = ARGUMENT_LIST.get(commandArgs.getClass());
      if (list == null) {
        unsupported("CommandArgs.singularArguments not found");
        return;
      }
      List<?> arguments = (List<?>) list.invoke(commandArgs);
      for (int i = 0; i < arguments.size(); i++) {
        Object argument = arguments.get(i);
        READERS.get(argument.getClass()).feed(call, i + 1, argument);
      }
    } catch (Throwable t) {
      unsupported(t.toString());
    }
  }

  private static void unsupported(String reason) {
    if (REPORTED.compareAndSet(false, true)) {
      AgentLog.warn(
          "this Lettuce's command arguments cannot be read ("
              + reason
              + "); Lettuce commands are not recorded");
    }
  }

  /** A getter for a {@code long} field, typed (Object)long: reading it boxes nothing. */
  static MethodHandle longGetter(Class<?> type, String name) {
    try {
      Field field = type.getDeclaredField(name);
      if (field.getType() != long.class) {
        return null;
      }
      field.setAccessible(true);
      return MethodHandles.lookup()
          .unreflectGetter(field)
          .asType(MethodType.methodType(long.class, Object.class));
    } catch (NoSuchFieldException | RuntimeException | IllegalAccessException e) {
      return null;
    }
  }

  static MethodHandle getter(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(name);
        field.setAccessible(true);
        return MethodHandles.lookup()
            .unreflectGetter(field)
            .asType(MethodType.methodType(Object.class, Object.class));
      } catch (NoSuchFieldException e) {
        // look further up
      } catch (RuntimeException | IllegalAccessException e) {
        return null; // e.g. Lettuce on the module path, not opened to us
      }
    }
    return null;
  }

  /**
   * Bytes of one argument: a key (via its codec), a keyword, or a string; a number as a number (an
   * expiry); values are skipped.
   */
  private abstract static class ArgumentReader {

    abstract byte[] bytes(Object argument) throws Throwable;

    /** Hands the argument to the call. */
    void feed(CallRecord call, int index, Object argument) throws Throwable {
      call.argument(index, bytes(argument));
    }

    static ArgumentReader forType(Class<?> type) {
      String name = type.getSimpleName();
      if (name.equals("IntegerArgument")) {
        MethodHandle value = longGetter(type, "val");
        return value == null ? SKIP : new NumberReader(value);
      }
      if (name.equals("KeyArgument")) {
        return new KeyReader(getter(type, "key"), getter(type, "codec"));
      }
      if (name.equals("ProtocolKeywordArgument") || name.equals("KeywordArgument")) {
        MethodHandle keyword = getter(type, "protocolKeyword");
        if (keyword == null) {
          keyword = getter(type, "keyword");
        }
        return new FieldReader(keyword, LettuceReplies::keywordBytes);
      }
      if (name.equals("StringArgument")) {
        return new FieldReader(
            getter(type, "val"),
            text ->
                text instanceof String s && s.length() <= 8
                    ? s.getBytes(StandardCharsets.US_ASCII)
                    : null);
      }
      return SKIP;
    }
  }

  private static final ArgumentReader SKIP =
      new ArgumentReader() {
        @Override
        byte[] bytes(Object argument) {
          return null;
        }
      };

  /** {@code EX 10}, {@code EXPIRE key 10}: the long, read without boxing. */
  private static final class NumberReader extends ArgumentReader {
    private final MethodHandle value;

    NumberReader(MethodHandle value) {
      this.value = value;
    }

    @Override
    byte[] bytes(Object argument) {
      return null;
    }

    @Override
    void feed(CallRecord call, int index, Object argument) throws Throwable {
      call.number(index, (long) value.invokeExact(argument));
    }
  }

  private static final class KeyReader extends ArgumentReader {
    private static final ClassValue<MethodHandle> ENCODE_KEY =
        new ClassValue<>() {
          @Override
          protected MethodHandle computeValue(Class<?> codecType) {
            try {
              Class<?> codecInterface =
                  Class.forName(
                      "io.lettuce.core.codec.RedisCodec", false, codecType.getClassLoader());
              return MethodHandles.publicLookup()
                  .findVirtual(
                      codecInterface,
                      "encodeKey",
                      MethodType.methodType(ByteBuffer.class, Object.class))
                  .asType(MethodType.methodType(ByteBuffer.class, Object.class, Object.class));
            } catch (ReflectiveOperationException e) {
              return null;
            }
          }
        };

    private final MethodHandle key;
    private final MethodHandle codec;

    KeyReader(MethodHandle key, MethodHandle codec) {
      this.key = key;
      this.codec = codec;
    }

    @Override
    byte[] bytes(Object argument) throws Throwable {
      Object keyValue = key.invoke(argument);
      if (keyValue instanceof byte[] raw) {
        return raw; // ByteArrayCodec, as Spring Data Redis uses: the key is already its bytes
      }
      Object codecValue = codec.invoke(argument);
      if (!(keyValue instanceof String text)) {
        return encode(codecValue, keyValue);
      }
      byte[] bytes = EncodedKeys.get(codecValue, text);
      if (bytes == null) {
        bytes = encode(codecValue, text);
        EncodedKeys.put(codecValue, text, bytes);
      }
      return bytes;
    }

    private static byte[] encode(Object codecValue, Object keyValue) throws Throwable {
      MethodHandle encode = ENCODE_KEY.get(codecValue.getClass());
      ByteBuffer buffer = (ByteBuffer) encode.invoke(codecValue, keyValue);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
  }

  /** A keyword or short string argument: one field read, then turned into the bytes Redis gets. */
  private static final class FieldReader extends ArgumentReader {
    /** Turns the field's value into bytes; may throw, as a reflective call may. */
    interface ToBytes {
      byte[] apply(Object value) throws Throwable;
    }

    private final MethodHandle field;
    private final ToBytes toBytes;

    FieldReader(MethodHandle field, ToBytes toBytes) {
      this.field = field;
      this.toBytes = toBytes;
    }

    @Override
    byte[] bytes(Object argument) throws Throwable {
      Object value = field == null ? null : field.invoke(argument);
      return value == null ? null : toBytes.apply(value);
    }
  }
}
