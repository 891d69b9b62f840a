package dev.keywarm.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.StoredKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotKeysTest {

  private static WindowSnapshot window(String[] keys, long[] reads, long[] writes) {
    byte[][] members = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      members[i] = keys[i].getBytes(StandardCharsets.UTF_8);
    }
    long[] none = new long[keys.length];
    return new WindowSnapshot(
        HourBucket.ofEpochMillis(0),
        members,
        reads,
        none,
        writes,
        none,
        none,
        new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0),
        new byte[0][],
        new long[0]);
  }

  private static List<String> names(HotKeys hot) {
    return hot.top().stream().map(r -> new String(r.key().bytes, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void ranksByReadsAndWhatIsReadNowOutranksWhatWasReadLongAgo() {
    HotKeys hot = new HotKeys(2);
    hot.observe(window(new String[] {"a", "b", "c"}, new long[] {100, 10, 1}, new long[3]), 1_000);
    assertEquals(List.of("a", "b"), names(hot));
    // ten half-lives later a's 100 reads weigh less than c's 2 new ones
    hot.observe(
        window(new String[] {"c"}, new long[] {2}, new long[1]),
        1_000 + 10 * HotKeys.HALF_LIFE_MILLIS);
    assertEquals(List.of("c", "a"), names(hot));
    assertEquals(111 + 2, hot.events());
  }

  @Test
  void keysThatCannotBeReadBackAreNeverRankedAndTheRankingIsBounded() {
    HotKeys hot = new HotKeys(2);
    String truncated = new String(StoredKey.member(new byte[600]), StandardCharsets.ISO_8859_1);
    hot.observe(
        window(
            new String[] {"w", KeySchema.PREFIX + "{x}:y", "r1", "r2", "r3", "r4", "r5"},
            new long[] {0, 50, 5, 4, 3, 2, 1},
            new long[] {9, 0, 0, 0, 0, 0, 0}),
        1_000);
    assertEquals(List.of("r1", "r2"), names(hot), "written only, or keywarm's own: not hot");
    assertEquals(2, hot.size(), "pruned to the kept count past twice of it");
    hot.observe(
        new WindowSnapshot(
            HourBucket.ofEpochMillis(0),
            new byte[][] {StoredKey.member(new byte[600])},
            new long[] {1_000},
            new long[1],
            new long[1],
            new long[1],
            new long[1],
            new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0),
            new byte[0][],
            new long[0]),
        1_500);
    assertEquals(List.of("r1", "r2"), names(hot), "a truncated key " + truncated.length());
  }

  @Test
  void aHashFieldsReadsAreNeverGivenToItsHashWhichTheSnapshotWouldDumpWhole() {
    HotKeys hot = new HotKeys(2);
    byte[][] members = {
      FieldMember.encode(bytes("user:1"), bytes("profile")),
      FieldMember.encode(bytes("user:1"), bytes("avatar")),
      bytes("user:2")
    };
    long[] none = new long[3];
    hot.observe(
        new WindowSnapshot(
            HourBucket.ofEpochMillis(0),
            members,
            new long[] {3, 2, 4},
            none,
            none,
            none,
            none,
            new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0),
            new byte[0][],
            new long[0]),
        1_000);
    assertEquals(List.of("user:2"), names(hot), "fields are loaded, never snapshotted");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
