package dev.keywarm.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FieldMemberTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keyAndFieldComeBackFromTheMember() {
    byte[] member = FieldMember.encode(bytes("user:42"), bytes("profile"));
    assertTrue(FieldMember.isField(member));
    assertArrayEquals(bytes("user:42"), FieldMember.key(member));
    assertArrayEquals(bytes("profile"), FieldMember.field(member));
    assertArrayEquals(bytes("user:42"), FieldMember.redisKey(member));
  }

  @Test
  void binaryKeysAndFieldsAndEmptyFieldsRoundTrip() {
    byte[] key = {0, 1, (byte) 0xFF, 2};
    byte[] field = {};
    byte[] member = FieldMember.encode(key, field);
    assertArrayEquals(key, FieldMember.key(member));
    assertArrayEquals(field, FieldMember.field(member));
    assertEquals("\\x00\\x01\\xff\\x02 []", KeyText.display(member));
    assertTrue(KeyText.isBinary(member));
  }

  @Test
  void aKeyAndAFieldThatSplitDifferentlyAreDifferentMembers() {
    assertFalse(
        Arrays.equals(
            FieldMember.encode(bytes("ab"), bytes("c")),
            FieldMember.encode(bytes("a"), bytes("bc"))));
  }

  @Test
  void aMemberIsMatchedAndHashableFromItsPartsWithoutBuildingIt() {
    byte[] member = FieldMember.encode(bytes("user:42"), bytes("profile"));
    assertTrue(FieldMember.matches(member, bytes("user:42"), bytes("profile")));
    assertFalse(FieldMember.matches(member, bytes("user:4"), bytes("2profile")));
    assertFalse(FieldMember.matches(member, bytes("user:42"), bytes("profilE")));
    for (int i = 0; i < FieldMember.HEADER_BYTES; i++) {
      assertEquals(member[i], FieldMember.headerByte(i, 7), "header byte " + i);
    }
    assertEquals(0x01, FieldMember.headerByte(6, 300));
    assertEquals((byte) 0x2C, FieldMember.headerByte(7, 300));
  }

  @Test
  void plainKeysAreNeverFields() {
    byte[] text = bytes("user:42:profile");
    assertFalse(FieldMember.isField(text));
    assertArrayEquals(text, FieldMember.redisKey(text));
    assertThrows(IllegalArgumentException.class, () -> FieldMember.key(text));
    // the magic with a length that does not fit is a binary key, not a field
    byte[] lookalike = {(byte) 0xFF, 0x00, 'h', 'f', 0, 0, 0, 9, 'a'};
    assertFalse(FieldMember.isField(lookalike));
    assertFalse(FieldMember.isField(new byte[] {(byte) 0xFF, 0x00, 'h'}));
  }

  @Test
  void longKeysAndFieldsAreStoredAsKeysAre() {
    byte[] longField = new byte[2_000];
    Arrays.fill(longField, (byte) 'x');
    byte[] member = FieldMember.encode(bytes("cache"), longField);
    assertTrue(StoredKey.isTruncated(FieldMember.field(member)));
    assertEquals(8 + 5 + StoredKey.MAX_BYTES, member.length);
  }

  @Test
  void reportsShowAndPatternFieldsPartByPart() {
    assertEquals(
        "user:42 [profile]",
        KeyText.display(FieldMember.encode(bytes("user:42"), bytes("profile"))));
    assertEquals(
        "user:{n} [profile]",
        KeyPattern.of(FieldMember.encode(bytes("user:42"), bytes("profile"))));
    assertEquals(
        "products [{n}]", KeyPattern.of(FieldMember.encode(bytes("products"), bytes("42"))));
    assertFalse(KeyText.isBinary(FieldMember.encode(bytes("products"), bytes("42"))));
  }
}
