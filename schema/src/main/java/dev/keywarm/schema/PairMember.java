package dev.keywarm.schema;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A pair of cache keys as one sorted-set member, binary-safe: a 4-byte big-endian length of the
 * first key, the first key, then the second key. Ordered pairs: (a, b) and (b, a) are different
 * members, so a reader can tell "b follows a" from "a follows b"; an unordered count is their sum.
 */
public final class PairMember {

  private PairMember() {}

  public static byte[] encode(byte[] first, byte[] second) {
    return ByteBuffer.allocate(4 + first.length + second.length)
        .putInt(first.length)
        .put(first)
        .put(second)
        .array();
  }

  /**
   * @throws IllegalArgumentException if {@code member} is not an encoded pair
   */
  public static byte[][] decode(byte[] member) {
    if (member.length < 4) {
      throw new IllegalArgumentException("not a pair member: " + member.length + " bytes");
    }
    int firstLength = ByteBuffer.wrap(member, 0, 4).getInt();
    if (firstLength < 0 || firstLength > member.length - 4) {
      throw new IllegalArgumentException("not a pair member: first length " + firstLength);
    }
    return new byte[][] {
      Arrays.copyOfRange(member, 4, 4 + firstLength),
      Arrays.copyOfRange(member, 4 + firstLength, member.length)
    };
  }
}
