package dev.keywarm.agent.recording;

import dev.keywarm.schema.FieldMember;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What of a cache key may leave the JVM ({@code keys} option). Applied when a window is sealed, on
 * the aggregator thread, so the request path is unchanged and each distinct key is transformed once
 * per window, not once per call. Raw keys exist only in this JVM's memory.
 *
 * <ul>
 *   <li>{@code plain}: the key as it is.
 *   <li>{@code hashed}: the first {@code prefixSegments} {@code :}-separated segments stay readable
 *       (only if more segments follow, so a key's last segment is never kept), the rest becomes
 *       {@code #} and 32 hex digits of HMAC-SHA256 under a secret that only the fleet knows: the
 *       same key gives the same member on every instance, reports still group by prefix, and
 *       personal data (emails, phone numbers) never reaches Redis.
 *   <li>{@code pattern}: only the key's pattern ({@link dev.keywarm.schema.KeyPattern}: numbers,
 *       UUIDs, hex and hash tags become placeholders). Reports still work per pattern; a warm
 *       cannot use them, as no real key is known.
 * </ul>
 *
 * A hash field's entry ({@link FieldMember}) keeps its shape: its key and its field are each
 * transformed as a key is ({@code user:42 [profile]} → {@code user:{n} [{s}]} with {@code
 * pattern}), so no field name leaves the JVM that a key's segment would not.
 *
 * <p>Keys that collapse onto the same member are merged (their counts summed).
 */
public abstract class KeyPrivacy {

  public static final KeyPrivacy PLAIN =
      new KeyPrivacy() {
        @Override
        byte[] member(byte[] key) {
          return key;
        }

        @Override
        boolean isPlain() {
          return true;
        }
      };

  abstract byte[] member(byte[] key);

  boolean isPlain() {
    return false;
  }

  public static KeyPrivacy hashed(byte[] secret, int prefixSegments) {
    return new Hashed(secret, prefixSegments);
  }

  /**
   * Only the key's shape: the first {@code prefixSegments} {@code :}-separated segments as they are
   * (never the last one), every later segment replaced by its kind — {@code {n}}, {@code {uuid}},
   * {@code {hex}} as the analyzer's {@link dev.keywarm.schema.KeyPattern} names them, and {@code
   * {s}} for any other text, since a word may be a name. {@code user:alice@example.com} → {@code
   * user:{s}}.
   */
  public static KeyPrivacy pattern(int prefixSegments) {
    return new KeyPrivacy() {
      @Override
      byte[] member(byte[] key) {
        String[] segments = new String(key, StandardCharsets.UTF_8).split(":", -1);
        StringBuilder shape = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
          if (i > 0) {
            shape.append(':');
          }
          boolean readable = i < prefixSegments && i < segments.length - 1;
          shape.append(readable ? segments[i] : kind(segments[i]));
        }
        return shape.toString().getBytes(StandardCharsets.UTF_8);
      }
    };
  }

  private static String kind(String segment) {
    String pattern = dev.keywarm.schema.KeyPattern.of(segment);
    return switch (pattern) {
      case "{n}", "{uuid}", "{hex}", "{tag}", "" -> pattern;
      default -> "{s}";
    };
  }

  /** A hash field's member has its key and its field each transformed as a key is. */
  private byte[] entryMember(byte[] stored) {
    if (FieldMember.isField(stored)) {
      return FieldMember.encode(member(FieldMember.key(stored)), member(FieldMember.field(stored)));
    }
    return member(stored);
  }

  /** The snapshot with every member transformed and duplicates merged. */
  WindowSnapshot apply(WindowSnapshot s) {
    if (isPlain()) {
      return s;
    }
    Map<String, Integer> index = new HashMap<>();
    List<byte[]> members = new ArrayList<>();
    long[][] counts = new long[7][s.size()];
    for (int i = 0; i < s.size(); i++) {
      byte[] member = entryMember(s.members()[i]);
      Integer at =
          index.putIfAbsent(new String(member, StandardCharsets.ISO_8859_1), members.size());
      int slot = at == null ? members.size() : at;
      if (at == null) {
        members.add(member);
      }
      counts[0][slot] += s.hits()[i];
      counts[1][slot] += s.misses()[i];
      counts[2][slot] += s.writes()[i];
      counts[3][slot] += s.loadNanos()[i];
      counts[4][slot] += s.loads()[i];
      if (s.ttls()[i] != EventKind.TTL_UNKNOWN) {
        counts[5][slot] = s.ttls()[i]; // keys sharing a member: one of their expiries
      }
      counts[6][slot] += s.removals()[i];
    }
    int n = members.size();
    byte[][] pairs = new byte[s.pairs().length][];
    for (int i = 0; i < pairs.length; i++) {
      byte[][] pair = dev.keywarm.schema.PairMember.decode(s.pairs()[i]);
      pairs[i] = dev.keywarm.schema.PairMember.encode(entryMember(pair[0]), entryMember(pair[1]));
    }
    return new WindowSnapshot(
        s.hour(),
        members.toArray(new byte[0][]),
        java.util.Arrays.copyOf(counts[0], n),
        java.util.Arrays.copyOf(counts[1], n),
        java.util.Arrays.copyOf(counts[2], n),
        java.util.Arrays.copyOf(counts[3], n),
        java.util.Arrays.copyOf(counts[4], n),
        s.totals(),
        pairs,
        s.pairCounts(),
        java.util.Arrays.copyOf(counts[5], n),
        java.util.Arrays.copyOf(counts[6], n));
  }

  private static final class Hashed extends KeyPrivacy {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final SecretKeySpec secret;
    private final int prefixSegments;
    private final ThreadLocal<Mac> mac;

    Hashed(byte[] secret, int prefixSegments) {
      this.secret = new SecretKeySpec(secret, "HmacSHA256");
      this.prefixSegments = prefixSegments;
      this.mac = ThreadLocal.withInitial(this::newMac);
      newMac(); // fail at start, not at the first flush, if the JVM lacks HMAC-SHA256
    }

    private Mac newMac() {
      try {
        Mac created = Mac.getInstance("HmacSHA256");
        created.init(secret);
        return created;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC-SHA256 unavailable: " + e.getMessage(), e);
      }
    }

    @Override
    byte[] member(byte[] key) {
      int keep = 0;
      int seen = 0;
      for (int i = 0; i < key.length && seen < prefixSegments; i++) {
        if (key[i] == ':') {
          seen++;
          keep = i + 1;
        }
      }
      byte[] digest = mac.get().doFinal(key);
      byte[] member = new byte[keep + 1 + 32];
      System.arraycopy(key, 0, member, 0, keep);
      member[keep] = '#';
      for (int i = 0; i < 16; i++) {
        member[keep + 1 + 2 * i] = (byte) HEX[(digest[i] >> 4) & 0xF];
        member[keep + 2 + 2 * i] = (byte) HEX[digest[i] & 0xF];
      }
      return member;
    }
  }
}
