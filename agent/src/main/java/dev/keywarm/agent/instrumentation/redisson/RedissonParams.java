package dev.keywarm.agent.instrumentation.redisson;

import dev.keywarm.agent.instrumentation.EncodedKeys;
import dev.keywarm.agent.recording.CallRecord;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Redisson's command parameters as the bytes Redis receives: a {@code String} (names, keywords) as
 * UTF-8, as {@code CommandEncoder} writes it; a {@code byte[]} as it is; a Netty {@code ByteBuf}
 * (map fields and values, encoded by the object's codec) as its readable bytes, read without moving
 * its reader index; a number as a number.
 *
 * <p>Hot keys and fields are the same few byte strings again and again, so neither is copied per
 * call: strings go through {@link EncodedKeys}, and a field's bytes are read into a per-thread
 * scratch array and matched against a direct-mapped table of {@value #FIELD_SLOTS} byte strings of
 * up to {@value #MAX_CACHED_BYTES} bytes (at most ~600 KB); only a miss copies. A race or a
 * collision only loses an entry. A {@code ByteBuf} that is not a key or field (a value) is never
 * read. Netty is reached through method handles resolved per buffer class, because this class is
 * loaded by the bootstrap loader and cannot name it.
 */
final class RedissonParams {

  /** Encodes strings as UTF-8: the "codec" of Redisson's names in {@link EncodedKeys}. */
  private static final Object UTF_8 = new Object();

  static final int FIELD_SLOTS = 4096;
  static final int MAX_CACHED_BYTES = 128;

  /** A remembered byte string; the final field publishes its contents safely. */
  private record Bytes(byte[] value) {}

  private static final Bytes[] FIELDS = new Bytes[FIELD_SLOTS];

  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[MAX_CACHED_BYTES]);

  /** readerIndex, readableBytes and getBytes(int, byte[], int, int) of one ByteBuf class. */
  private record Access(MethodHandle readerIndex, MethodHandle readable, MethodHandle getBytes) {}

  private static final ClassValue<Access> BYTE_BUFS =
      new ClassValue<>() {
        @Override
        protected Access computeValue(Class<?> type) {
          return access(type);
        }
      };

  private RedissonParams() {}

  /** A name or keyword as its bytes, remembered. */
  static byte[] ascii(String text) {
    byte[] bytes = EncodedKeys.get(UTF_8, text);
    if (bytes == null) {
      bytes = text.getBytes(StandardCharsets.UTF_8);
      EncodedKeys.put(UTF_8, text, bytes);
    }
    return bytes;
  }

  /** Hands parameter {@code index} (1 = first after the command name) to the call. */
  static void feed(CallRecord call, int index, Object param) throws Throwable {
    if (param instanceof String text) {
      // a key, or a keyword (NX, PX, KEEPTTL); a long string that is neither is not encoded
      if (text.length() <= 8 || call.isEntryArgument(index)) {
        call.argument(index, ascii(text));
      }
    } else if (param instanceof Long || param instanceof Integer) {
      call.number(index, ((Number) param).longValue());
    } else if (param instanceof byte[] raw) {
      call.argument(index, raw);
    } else if (param != null && call.isEntryArgument(index)) {
      byte[] bytes = bytes(param);
      if (bytes != null) {
        call.argument(index, bytes);
      }
    }
  }

  /** A key or field parameter of any type as bytes, or null; {@code feed} for a script's. */
  static byte[] entryBytes(Object param) throws Throwable {
    if (param instanceof String text) {
      return ascii(text);
    }
    if (param instanceof byte[] raw) {
      return raw;
    }
    return param == null ? null : bytes(param);
  }

  /** The readable bytes of a Netty ByteBuf, its indexes untouched; null for another type. */
  private static byte[] bytes(Object buffer) throws Throwable {
    Access access = BYTE_BUFS.get(buffer.getClass());
    if (access == null) {
      return null;
    }
    int from = (int) access.readerIndex.invokeExact(buffer);
    int length = (int) access.readable.invokeExact(buffer);
    if (length > MAX_CACHED_BYTES) {
      byte[] copy = new byte[length];
      Object ignored = (Object) access.getBytes.invokeExact(buffer, from, copy, 0, length);
      return copy;
    }
    byte[] scratch = SCRATCH.get();
    Object ignored = (Object) access.getBytes.invokeExact(buffer, from, scratch, 0, length);
    int slot = hash(scratch, length) & (FIELD_SLOTS - 1);
    Bytes known = FIELDS[slot];
    if (known != null
        && known.value.length == length
        && Arrays.equals(known.value, 0, length, scratch, 0, length)) {
      return known.value;
    }
    byte[] copy = Arrays.copyOf(scratch, length);
    FIELDS[slot] = new Bytes(copy);
    return copy;
  }

  private static int hash(byte[] bytes, int length) {
    int h = 1;
    for (int i = 0; i < length; i++) {
      h = 31 * h + bytes[i];
    }
    return h ^ (h >>> 16);
  }

  private static Access access(Class<?> type) {
    try {
      Class<?> byteBuf = Class.forName("io.netty.buffer.ByteBuf", false, type.getClassLoader());
      if (!byteBuf.isAssignableFrom(type)) {
        return null;
      }
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodType intOfObject = MethodType.methodType(int.class, Object.class);
      return new Access(
          lookup
              .findVirtual(byteBuf, "readerIndex", MethodType.methodType(int.class))
              .asType(intOfObject),
          lookup
              .findVirtual(byteBuf, "readableBytes", MethodType.methodType(int.class))
              .asType(intOfObject),
          lookup
              .findVirtual(
                  byteBuf,
                  "getBytes",
                  MethodType.methodType(byteBuf, int.class, byte[].class, int.class, int.class))
              .asType(
                  MethodType.methodType(
                      Object.class, Object.class, int.class, byte[].class, int.class, int.class)));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // not a ByteBuf, or no Netty visible from it: the parameter is not read
    }
  }
}
