package dev.keywarm.agent.recording;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeyText;
import dev.keywarm.schema.PairMember;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyPrivacyTest {

  private static final byte[] SECRET = "0123456789abcdef-fleet".getBytes(StandardCharsets.UTF_8);

  private static String hashed(KeyPrivacy privacy, String key) {
    return new String(privacy.member(key.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void keepsTheReadablePrefixButNeverTheLastSegment() {
    KeyPrivacy privacy = KeyPrivacy.hashed(SECRET, 1);
    String member = hashed(privacy, "user:alice@example.com");
    assertTrue(member.matches("user:#[0-9a-f]{32}"), member);
    assertTrue(hashed(privacy, "alice@example.com").matches("#[0-9a-f]{32}"));
    assertTrue(hashed(KeyPrivacy.hashed(SECRET, 2), "user:42:profile").startsWith("user:42:#"));
    assertTrue(hashed(KeyPrivacy.hashed(SECRET, 0), "user:42").startsWith("#"));
  }

  @Test
  void isDeterministicPerSecretAndDistinctPerKey() {
    KeyPrivacy a = KeyPrivacy.hashed(SECRET, 1);
    KeyPrivacy b = KeyPrivacy.hashed(SECRET, 1);
    KeyPrivacy other = KeyPrivacy.hashed("another-secret-of-the-fleet".getBytes(), 1);
    assertEquals(hashed(a, "user:1"), hashed(b, "user:1"));
    assertNotEquals(hashed(a, "user:1"), hashed(a, "user:2"));
    assertNotEquals(hashed(a, "user:1"), hashed(other, "user:1"));
  }

  @Test
  void transformsSnapshotsIncludingPairsAndKeepsTotals() {
    KeyPrivacy privacy = KeyPrivacy.hashed(SECRET, 1);
    byte[] alice = "user:alice@example.com".getBytes(StandardCharsets.UTF_8);
    byte[] bob = "user:bob@example.com".getBytes(StandardCharsets.UTF_8);
    WindowSnapshot raw =
        new WindowSnapshot(
            HourBucket.parse("2026112310"),
            new byte[][] {alice, bob},
            new long[] {3, 1},
            new long[] {1, 0},
            new long[] {1, 0},
            new long[] {500, 0},
            new long[] {1, 0},
            WindowTotals.NONE,
            new byte[][] {PairMember.encode(alice, bob)},
            new long[] {2});
    WindowSnapshot safe = privacy.apply(raw);
    assertEquals(2, safe.size());
    assertEquals(4, safe.hits()[0] + safe.hits()[1]);
    for (byte[] member : safe.members()) {
      assertFalse(new String(member, StandardCharsets.UTF_8).contains("@"));
    }
    byte[][] pair = PairMember.decode(safe.pairs()[0]);
    assertFalse(new String(pair[0], StandardCharsets.UTF_8).contains("alice"));
    assertEquals(2, safe.pairCounts()[0]);
  }

  @Test
  void hashFieldsKeepTheirShapeWithKeyAndFieldEachTransformed() {
    byte[] alice = FieldMember.encode(b("user:42"), b("alice@example.com"));
    byte[] bob = FieldMember.encode(b("user:43"), b("bob@example.com"));
    WindowSnapshot raw =
        new WindowSnapshot(
            HourBucket.parse("2026112310"),
            new byte[][] {alice, bob},
            new long[] {3, 1},
            new long[] {1, 0},
            new long[] {1, 0},
            new long[] {500, 0},
            new long[] {1, 0},
            WindowTotals.NONE,
            new byte[][] {PairMember.encode(alice, bob)},
            new long[] {2});
    WindowSnapshot patterned = KeyPrivacy.pattern(1).apply(raw);
    assertEquals(1, patterned.size(), "both fields have one shape: merged");
    assertEquals("user:{n} [{s}]", KeyText.display(patterned.members()[0]));
    assertEquals(4, patterned.hits()[0]);
    byte[][] pair = PairMember.decode(patterned.pairs()[0]);
    assertEquals("user:{n} [{s}]", KeyText.display(pair[0]));

    KeyPrivacy hashedPrivacy = KeyPrivacy.hashed(SECRET, 1);
    WindowSnapshot hashed = hashedPrivacy.apply(raw);
    assertEquals(2, hashed.size());
    byte[] member = hashed.members()[0];
    assertTrue(FieldMember.isField(member));
    assertEquals(hashed(hashedPrivacy, "user:42"), new String(FieldMember.key(member), UTF_8));
    assertEquals(
        hashed(hashedPrivacy, "alice@example.com"), new String(FieldMember.field(member), UTF_8));
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void patternModeNeverKeepsAWordThatMayBeAName() {
    assertEquals("user:{s}", hashed(KeyPrivacy.pattern(1), "user:alice@example.com"));
    assertEquals(
        "session:{uuid}",
        hashed(KeyPrivacy.pattern(1), "session:123e4567-e89b-12d3-a456-426614174000"));
    assertEquals("{s}", hashed(KeyPrivacy.pattern(1), "alice"));
    assertEquals("user:42:{s}", hashed(KeyPrivacy.pattern(2), "user:42:profile"));
  }

  @Test
  void patternModeKeepsOnlyPatternsAndMergesTheirCounts() {
    byte[] a = "user:42:profile".getBytes(StandardCharsets.UTF_8);
    byte[] b = "user:43:profile".getBytes(StandardCharsets.UTF_8);
    WindowSnapshot raw =
        new WindowSnapshot(
            HourBucket.parse("2026112310"),
            new byte[][] {a, b},
            new long[] {3, 2},
            new long[] {1, 1},
            new long[] {0, 1},
            new long[] {0, 700},
            new long[] {0, 1},
            WindowTotals.NONE,
            new byte[0][],
            new long[0]);
    WindowSnapshot patterns = KeyPrivacy.pattern(1).apply(raw);
    assertEquals(1, patterns.size());
    assertEquals("user:{n}:{s}", new String(patterns.members()[0], StandardCharsets.UTF_8));
    assertEquals(5, patterns.hits()[0]);
    assertEquals(2, patterns.misses()[0]);
    assertEquals(700, patterns.loadNanos()[0]);
  }
}
