package dev.keywarm.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeySchemaTest {

  @Test
  void namesHourlySetsWithHashTagAndUtcHour() {
    KeySchema schema = KeySchema.forApp("shop");
    HourBucket hour = HourBucket.of(Instant.parse("2026-11-23T10:59:59.999Z"));
    assertEquals("kw:{shop}:h:2026112310:hits", schema.hourly(hour, KeySchema.HourlySet.HITS));
    assertEquals(
        "kw:{shop}:h:2026112310:loadus", schema.hourly(hour, KeySchema.HourlySet.LOAD_MICROS));
    assertEquals("kw:{shop}:h:2026112310:meta", schema.meta(hour));
    assertEquals(5, schema.hourlySets(hour).size());
  }

  @Test
  void hourBucketRoundTripsAndKnowsItsHourOfDay() {
    HourBucket hour = HourBucket.parse("2026112323");
    assertEquals(23, hour.hourOfDay());
    assertEquals("2026112400", hour.plusHours(1).format());
    assertEquals(hour, HourBucket.ofEpochMillis(hour.startMillis() + 3_599_999));
    assertThrows(IllegalArgumentException.class, () -> HourBucket.parse("20261123"));
  }

  @Test
  void expiresRetentionAfterTheEndOfTheHour() {
    HourBucket hour = HourBucket.parse("2026112310");
    long expected = Instant.parse("2026-12-01T11:00:00Z").getEpochSecond();
    assertEquals(expected, KeySchema.expireAtEpochSecond(hour, Duration.ofDays(8)));
  }

  @Test
  void rejectsAppNamesThatWouldBreakTheSchema() {
    for (String bad : new String[] {"", "a b", "shop}", "{shop", "a:b", "x".repeat(65)}) {
      assertThrows(IllegalArgumentException.class, () -> KeySchema.forApp(bad), bad);
    }
    assertEquals("order-service_2.eu", KeySchema.forApp("order-service_2.eu").app());
  }

  @Test
  void recognisesItsOwnKeys() {
    assertTrue(KeySchema.isKeywarmKey(bytes("kw:{shop}:h:2026112310:hits")));
    assertFalse(KeySchema.isKeywarmKey(bytes("kw:shop")));
    assertFalse(KeySchema.isKeywarmKey(bytes("user:1")));
  }

  @Test
  void keepsShortKeysAsRawBytes() {
    byte[] binary = {(byte) 0xFF, 0, (byte) 0xC3, 0x28};
    assertArrayEquals(binary, StoredKey.member(binary));
    assertFalse(StoredKey.isTruncated(StoredKey.member(binary)));
    byte[] exactlyMax = new byte[StoredKey.MAX_BYTES];
    assertArrayEquals(exactlyMax, StoredKey.member(exactlyMax));
  }

  @Test
  void truncatesLongKeysKeepingPrefixAndDistinctness() {
    byte[] a = new byte[2048];
    Arrays.fill(a, (byte) 'a');
    byte[] b = a.clone();
    b[2047] = 'b';
    byte[] memberA = StoredKey.member(a);
    byte[] memberB = StoredKey.member(b);
    assertEquals(StoredKey.MAX_BYTES, memberA.length);
    assertTrue(StoredKey.isTruncated(memberA));
    assertEquals(
        "a".repeat(StoredKey.PREFIX_BYTES),
        new String(memberA, 0, StoredKey.PREFIX_BYTES, StandardCharsets.US_ASCII));
    assertNotEquals(
        new String(memberA, StandardCharsets.ISO_8859_1),
        new String(memberB, StandardCharsets.ISO_8859_1));
    assertArrayEquals(memberA, StoredKey.member(a.clone()));
  }

  @Test
  void namesPlanGenerationsAndWarmKeys() {
    KeySchema schema = KeySchema.forApp("shop");
    assertEquals("kw:{shop}:plan:current", schema.currentPlan());
    assertEquals("kw:{shop}:plan:1764000000000:overall", schema.planOverall("1764000000000"));
    assertEquals("kw:{shop}:plan:g1:hour:07", schema.planHour("g1", 7));
    assertEquals("kw:{shop}:plan:g1:pairs", schema.planPairs("g1"));
    assertEquals("kw:{shop}:plan:g1:meta", schema.planMeta("g1"));
    assertEquals("kw:{shop}:h:2026112310:pairs", schema.pairs(HourBucket.parse("2026112310")));
    assertEquals("kw:{shop}:h:2026112310:ttl", schema.ttls(HourBucket.parse("2026112310")));
    assertEquals("kw:{shop}:warm:lease", schema.warmLease());
    assertEquals("kw:{shop}:warm:last", schema.warmLastResult());
    assertEquals("kw:{shop}:snap:values", schema.snapshotValues());
    assertEquals("kw:{shop}:snap:rank", schema.snapshotRank());
    assertEquals("kw:{shop}:snap:inval", schema.snapshotInvalidations());
    assertEquals("kw:{shop}:snap:meta", schema.snapshotMeta());
    assertEquals("kw:{shop}:snap:lease", schema.snapshotLease());
    assertThrows(IllegalArgumentException.class, () -> schema.planHour("g1", 24));
    assertThrows(IllegalArgumentException.class, () -> schema.planOverall("a:b"));
  }

  @Test
  void pairMembersRoundTripBinaryKeys() {
    byte[] a = {0, (byte) 0xFF, 'a'};
    byte[] b = bytes("user:1");
    byte[][] decoded = PairMember.decode(PairMember.encode(a, b));
    assertArrayEquals(a, decoded[0]);
    assertArrayEquals(b, decoded[1]);
    assertThrows(
        IllegalArgumentException.class, () -> PairMember.decode(new byte[] {0, 0, 0, 9, 1}));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void planAndResultFieldsAreTheNamesInRedis() {
    assertEquals(
        "[generated_at, app, range_from, range_to, k, expected_coverage, "
            + "expected_coverage_hourly, backtest, helps_little, overall_keys, pairs, ranked_by, "
            + "schema_version, generation, expires_in_seconds]",
        Arrays.toString(
            Arrays.stream(KeySchema.PlanField.values()).map(KeySchema.PlanField::field).toArray()));
    assertEquals(
        "[app, instance, status, plan_source, planned, warmed, skipped_existing, missing, "
            + "failed, timed_out, no_loader, no_field_loader, restored, snapshot_skipped, "
            + "bytes_written, duration_ms, expected_coverage, finished_at, error]",
        Arrays.toString(
            Arrays.stream(KeySchema.WarmResultField.values())
                .map(KeySchema.WarmResultField::field)
                .toArray()));
    assertEquals(
        "[updated_at, instance, entries, bytes, budget_bytes, skipped_over_budget, "
            + "skipped_too_large, skipped_no_ttl, invalid_before, stats_run_id]",
        Arrays.toString(
            Arrays.stream(KeySchema.SnapshotField.values())
                .map(KeySchema.SnapshotField::field)
                .toArray()));
  }
}
