package dev.keywarm.agent.it;

import static dev.keywarm.schema.KeySchema.HourlySet.HITS;
import static dev.keywarm.schema.KeySchema.HourlySet.LOADS;
import static dev.keywarm.schema.KeySchema.HourlySet.LOAD_MICROS;
import static dev.keywarm.schema.KeySchema.HourlySet.MISSES;
import static dev.keywarm.schema.KeySchema.HourlySet.WRITES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeyText;
import dev.keywarm.schema.StoredKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * What the known sequence of {@link JedisScenario} and {@link LettuceScenario} must leave in the
 * hourly sets for one surface {@code s}: hits, misses, writes and timed loads per key.
 */
final class KnownSequence {

  private KnownSequence() {}

  static List<Executable> expectations(StatsReader stats, String s) {
    List<Executable> checks = new ArrayList<>();
    expect(checks, stats, s + ":user:1", 12, 7, 3, 1);
    expect(checks, stats, s + ":f:a", 2, 0, 1, 0);
    expect(checks, stats, s + ":f:b", 1, 2, 1, 0);
    expect(checks, stats, s + ":f:c", 2, 0, 2, 0);
    expect(checks, stats, s + ":f:d", 0, 0, 2, 0);
    expect(checks, stats, s + ":f:x", 0, 1, 0, 0);
    expect(checks, stats, s + ":f:m1", 0, 0, 1, 0);
    expect(checks, stats, s + ":f:m2", 0, 0, 1, 0);
    expect(checks, stats, s + ":f:e", 0, 1, 1, 1);
    expect(checks, stats, JedisScenario.binaryKey(s), 1, 2, 1, 1);
    expect(checks, stats, JedisScenario.longKey(s).getBytes(StandardCharsets.UTF_8), 2, 0, 1, 0);
    checks.addAll(hashExpectations(stats, s));
    return checks;
  }

  /**
   * The hash part of the sequence: each (key, field) counted as its own entry ({@link
   * FieldMember}), loads timed from an HGET miss to the HSET of that field, a declined HSETNX and
   * an HDEL not counted — and the hash's key never counted as a key of its own.
   */
  static List<Executable> hashExpectations(StatsReader stats, String s) {
    List<Executable> checks = new ArrayList<>();
    String h = s + ":h:user:1";
    expectField(checks, stats, h, "profile", 4, 1, 1, 1);
    expectField(checks, stats, h, "avatar", 0, 1, 1, 1);
    expectField(checks, stats, h, "email", 0, 1, 1, 1);
    expectField(checks, stats, h, "theme", 0, 1, 1, 0);
    expectField(checks, stats, h, "locale", 0, 0, 1, 0);
    expectField(checks, stats, s + ":h:user:2", "profile", 0, 1, 0, 0);
    expect(checks, stats, h, 0, 0, 0, 0);
    return checks;
  }

  private static void expectField(
      List<Executable> checks,
      StatsReader stats,
      String key,
      String field,
      long hits,
      long misses,
      long writes,
      long loads) {
    expect(
        checks,
        stats,
        FieldMember.encode(
            key.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8)),
        hits,
        misses,
        writes,
        loads);
  }

  /** Keys whose only commands failed or were cancelled, under a namespace's {@code :failed}. */
  static final String[] FAILED_KEYS = {"wrongtype", "cancelled"};

  /** A failed or cancelled command is neither a hit nor a miss. */
  static List<Executable> failedNotCounted(StatsReader stats, String namespace) {
    List<Executable> checks = new ArrayList<>();
    for (String key : FAILED_KEYS) {
      expect(checks, stats, namespace + ":failed:" + key, 0, 0, 0, 0);
    }
    return checks;
  }

  /** Nothing of keywarm's own traffic was recorded, and no key or field exceeds the cap. */
  static void assertOnlyApplicationKeys(StatsReader stats) {
    for (HourlySet set : HourlySet.values()) {
      for (byte[] member : stats.members(set)) {
        byte[] key = FieldMember.isField(member) ? FieldMember.key(member) : member;
        byte[] field = FieldMember.isField(member) ? FieldMember.field(member) : new byte[0];
        assertFalse(KeySchema.isKeywarmKey(key), "agent recorded its own traffic");
        assertTrue(key.length <= StoredKey.MAX_BYTES, "key longer than the cap");
        assertTrue(field.length <= StoredKey.MAX_BYTES, "field longer than the cap");
      }
    }
  }

  private static void expect(
      List<Executable> checks,
      StatsReader stats,
      String key,
      long hits,
      long misses,
      long writes,
      long loads) {
    expect(checks, stats, key.getBytes(StandardCharsets.UTF_8), hits, misses, writes, loads);
  }

  private static void expect(
      List<Executable> checks,
      StatsReader stats,
      byte[] key,
      long hits,
      long misses,
      long writes,
      long loads) {
    String name = printable(key);
    checks.add(() -> assertEquals(hits, stats.score(HITS, key), name + " hits"));
    checks.add(() -> assertEquals(misses, stats.score(MISSES, key), name + " misses"));
    checks.add(() -> assertEquals(writes, stats.score(WRITES, key), name + " writes"));
    checks.add(() -> assertEquals(loads, stats.score(LOADS, key), name + " loads"));
    if (loads > 0) {
      checks.add(() -> assertTrue(stats.score(LOAD_MICROS, key) > 0, name + " load time"));
    }
  }

  private static String printable(byte[] key) {
    String text = KeyText.display(key);
    return text.length() > 50 ? text.substring(0, 50) + "..." : text;
  }
}
