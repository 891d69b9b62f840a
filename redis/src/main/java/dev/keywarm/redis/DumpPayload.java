package dev.keywarm.redis;

import java.util.Arrays;

/**
 * Reads the value out of a {@code DUMP} payload of a Redis <em>string</em>, so that a restore can
 * write it with {@code SET key value NX PX ttl} instead of {@code RESTORE}: the same bytes, and on
 * the server the cheapest write there is (a {@code RESTORE} also checks the checksum, decodes the
 * serialization and copies the value once more — measured at 1.1–1.6× the server CPU of a {@code
 * SET} for a 1 KB value).
 *
 * <p>The format (Redis's RDB object serialization, {@code rdb.c}): one type byte ({@code 0} for a
 * string), the string — a length then the bytes; or an integer stored in 1, 2 or 4 bytes
 * little-endian; or LZF-compressed bytes with their compressed and full lengths — then the RDB
 * version (2 bytes, little-endian) and a CRC-64 (Jones polynomial, reflected; 8 bytes
 * little-endian) of everything before it. Anything else — another type, an RDB version newer than
 * this code knows, a bad checksum, a length that does not add up — gives null, and the caller
 * restores the payload with {@code RESTORE} as before, which decides for itself.
 */
public final class DumpPayload {

  private static final int TYPE_STRING = 0;
  private static final int FOOTER = 2 + 8;

  /** RDB versions whose string serialization is the one read here (Redis 2.6 to 8.x: 6–12). */
  private static final int MAX_RDB_VERSION = 12;

  private static final int ENC_INT8 = 0;
  private static final int ENC_INT16 = 1;
  private static final int ENC_INT32 = 2;
  private static final int ENC_LZF = 3;

  private static final long[][] CRC_TABLES = crcTables(0x95ac9329ac4bc9b5L);
  private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private DumpPayload() {}

  /** The string value in {@code payload}, or null if it is not a string payload read here. */
  public static byte[] stringValue(byte[] payload) {
    if (payload == null || payload.length < 1 + 1 + FOOTER || payload[0] != TYPE_STRING) {
      return null;
    }
    int end = payload.length - FOOTER;
    int version = (payload[end] & 0xFF) | (payload[end + 1] & 0xFF) << 8;
    if (version > MAX_RDB_VERSION
        || crc64(payload, end + 2) != littleEndianLong(payload, end + 2)) {
      return null;
    }
    try {
      Reader in = new Reader(payload, 1, end);
      byte[] value = in.string();
      return in.at == end ? value : null;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      return null; // lengths that do not add up: not ours to judge, RESTORE will
    }
  }

  /** A cursor over the serialized object, within {@code [at, end)}. */
  private static final class Reader {
    private final byte[] bytes;
    private final int end;
    private int at;

    Reader(byte[] bytes, int at, int end) {
      this.bytes = bytes;
      this.at = at;
      this.end = end;
    }

    byte[] string() {
      int first = next();
      int kind = first >>> 6;
      if (kind == 3) {
        return switch (first & 0x3F) {
          case ENC_INT8 -> decimal(bytes[take(1)]);
          case ENC_INT16 -> decimal((short) littleEndian(take(2), 2));
          case ENC_INT32 -> decimal((int) littleEndian(take(4), 4));
          case ENC_LZF -> lzf();
          default -> throw new IllegalArgumentException("encoding " + (first & 0x3F));
        };
      }
      int length = length(first);
      int from = take(length);
      return Arrays.copyOfRange(bytes, from, from + length);
    }

    private byte[] lzf() {
      int compressed = length(next());
      int length = length(next());
      int from = take(compressed);
      return Lzf.decompress(bytes, from, compressed, length);
    }

    /** A length whose first byte is {@code first} (not the special encodings). */
    private int length(int first) {
      long length =
          switch (first >>> 6) {
            case 0 -> first & 0x3F;
            case 1 -> (first & 0x3F) << 8 | next();
            default ->
                switch (first) {
                  case 0x80 -> bigEndian(take(4), 4);
                  case 0x81 -> bigEndian(take(8), 8);
                  default -> throw new IllegalArgumentException("length byte " + first);
                };
          };
      if (length < 0 || length > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("length " + length);
      }
      return (int) length;
    }

    private int next() {
      if (at >= end) {
        throw new IndexOutOfBoundsException("past the end");
      }
      return bytes[at++] & 0xFF;
    }

    /** Skips {@code n} bytes, returning where they start. */
    private int take(int n) {
      if (n < 0 || n > end - at) {
        throw new IndexOutOfBoundsException(n + " bytes past the end");
      }
      int from = at;
      at += n;
      return from;
    }

    private long littleEndian(int from, int n) {
      long v = 0;
      for (int i = n - 1; i >= 0; i--) {
        v = v << 8 | (bytes[from + i] & 0xFF);
      }
      return v;
    }

    private long bigEndian(int from, int n) {
      long v = 0;
      for (int i = 0; i < n; i++) {
        v = v << 8 | (bytes[from + i] & 0xFF);
      }
      return v;
    }

    private static byte[] decimal(long v) {
      return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  /** LZF decompression (liblzf's format, as Redis writes it). */
  static final class Lzf {
    private Lzf() {}

    static byte[] decompress(byte[] in, int from, int length, int outLength) {
      byte[] out = new byte[outLength];
      int ip = from;
      int end = from + length;
      int op = 0;
      while (ip < end) {
        int ctrl = in[ip++] & 0xFF;
        if (ctrl < 32) { // a literal run of ctrl + 1 bytes
          int run = ctrl + 1;
          if (op + run > outLength || ip + run > end) {
            throw new IllegalArgumentException("literal past the end");
          }
          System.arraycopy(in, ip, out, op, run);
          ip += run;
          op += run;
        } else { // a back reference: len + 2 bytes from earlier output
          int len = ctrl >>> 5;
          if (len == 7) {
            len += in[ip++] & 0xFF;
          }
          int ref = op - ((ctrl & 0x1F) << 8) - (in[ip++] & 0xFF) - 1;
          len += 2;
          if (ref < 0 || op + len > outLength) {
            throw new IllegalArgumentException("reference out of range");
          }
          for (int i = 0; i < len; i++) { // may overlap: byte by byte
            out[op++] = out[ref++];
          }
        }
      }
      if (op != outLength) {
        throw new IllegalArgumentException("decompressed " + op + " of " + outLength + " bytes");
      }
      return out;
    }
  }

  /**
   * Redis's CRC-64 (Jones, reflected), over {@code bytes[0..length)}: eight bytes a step
   * ("slicing-by-8", as Redis's own {@code crcspeed}), since the restore checks every payload on
   * its way to the cache and a byte a step cost more CPU than the server's write.
   */
  static long crc64(byte[] bytes, int length) {
    long crc = 0;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      crc ^= (long) LITTLE_ENDIAN_LONG.get(bytes, i);
      crc =
          CRC_TABLES[7][(int) (crc & 0xFF)]
              ^ CRC_TABLES[6][(int) ((crc >>> 8) & 0xFF)]
              ^ CRC_TABLES[5][(int) ((crc >>> 16) & 0xFF)]
              ^ CRC_TABLES[4][(int) ((crc >>> 24) & 0xFF)]
              ^ CRC_TABLES[3][(int) ((crc >>> 32) & 0xFF)]
              ^ CRC_TABLES[2][(int) ((crc >>> 40) & 0xFF)]
              ^ CRC_TABLES[1][(int) ((crc >>> 48) & 0xFF)]
              ^ CRC_TABLES[0][(int) (crc >>> 56)];
    }
    for (; i < length; i++) {
      crc = CRC_TABLES[0][(int) ((crc ^ bytes[i]) & 0xFF)] ^ (crc >>> 8);
    }
    return crc;
  }

  private static long littleEndianLong(byte[] bytes, int from) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (bytes[from + i] & 0xFF);
    }
    return v;
  }

  /** The eight tables of a reflected CRC-64 for {@code reflectedPoly}, for slicing-by-8. */
  private static long[][] crcTables(long reflectedPoly) {
    long[][] tables = new long[8][256];
    for (int n = 0; n < 256; n++) {
      long crc = n;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ reflectedPoly : crc >>> 1;
      }
      tables[0][n] = crc;
    }
    for (int t = 1; t < 8; t++) {
      for (int n = 0; n < 256; n++) {
        long previous = tables[t - 1][n];
        tables[t][n] = (previous >>> 8) ^ tables[0][(int) (previous & 0xFF)];
      }
    }
    return tables;
  }
}
