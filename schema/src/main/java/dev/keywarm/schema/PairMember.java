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

  /** The member alone: no buffer around it (one per pair and window, on the aggregator thread). */
  public static byte[] encode(byte[] first, byte[] second) {
    byte[] member = new byte[4 + first.length + second.length];
    int length = first.length;
    member[0] = (byte) (length >>> 24);
    member[1] = (byte) (length >>> 16);
    member[2] = (byte) (length >>> 8);
    member[3] = (byte) length;
    System.arraycopy(first, 0, member, 4, length);
    System.arraycopy(second, 0, member, 4 + length, second.length);
    return member;
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
