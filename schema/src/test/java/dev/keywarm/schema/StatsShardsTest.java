package dev.keywarm.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatsShardsTest {

  private final KeySchema schema = KeySchema.forApp("shop");
  private final HourBucket hour = HourBucket.parse("2026112310");

  @Test
  void slotsAreRedisClusterSlots() {
    // values of CLUSTER KEYSLOT on a real cluster (the Redis Cluster specification's examples)
    assertEquals(12182, HashSlot.of("foo"));
    assertEquals(11058, HashSlot.of("somekey"));
    assertEquals(HashSlot.of("user1000"), HashSlot.of("{user1000}.following"));
    assertEquals(HashSlot.of("foo{}{bar}"), HashSlot.of("foo{}{bar}")); // "{}" is no tag
    assertEquals(HashSlot.of("{shop}"), HashSlot.of("shop"));
  }

  @Test
  void oneShardIsTheVersionOneLayout() {
    KeySchema.Shard only = schema.shards(1).all(schema).get(0);
    assertEquals(
        "kw:{shop}:h:2026112310:hits", schema.hourly(hour, KeySchema.HourlySet.HITS, only));
    assertEquals(
        schema.hourly(hour, KeySchema.HourlySet.HITS),
        schema.hourly(hour, KeySchema.HourlySet.HITS, only));
    assertEquals(schema.meta(hour), schema.meta(hour, only));
    assertEquals(0, schema.shards(1).of("any".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shardTagsSpreadEvenlyOverTheSlotRanges() {
    for (int count : new int[] {2, 3, 16, 24, 64}) {
      List<KeySchema.Shard> all = schema.shards(count).all(schema);
      Set<Integer> slots = new HashSet<>();
      for (KeySchema.Shard shard : all) {
        int slot = shard.slot();
        assertEquals(shard.index(), (int) ((long) slot * count / HashSlot.SLOTS), "shard " + shard);
        assertTrue(shard.base().startsWith("kw:{shop~"), shard.base());
        assertTrue(KeySchema.isKeywarmKey(shard.base().getBytes(StandardCharsets.UTF_8)));
        slots.add(slot);
      }
      assertEquals(count, slots.size());
    }
    // 24 shards over 3 masters owning even contiguous ranges: 8 each
    int[] perNode = new int[3];
    for (KeySchema.Shard shard : schema.shards(24).all(schema)) {
      perNode[shard.slot() * 3 / HashSlot.SLOTS]++;
    }
    assertEquals(List.of(8, 8, 8), List.of(perNode[0], perNode[1], perNode[2]));
  }

  @Test
  void keysSpreadOverShardsAndStayInTheirs() {
    StatsShards shards = schema.shards(24);
    int[] per = new int[24];
    for (int i = 0; i < 240_000; i++) {
      byte[] key = ("product:" + i).getBytes(StandardCharsets.UTF_8);
      int shard = shards.of(key);
      assertEquals(shard, shards.of(key.clone()));
      per[shard]++;
    }
    for (int n : per) {
      assertTrue(n > 9_000 && n < 11_000, "keys per shard: " + n);
    }
  }

  @Test
  void readersFindEveryShardCountAnHourNames() {
    assertEquals(Set.of(1), Set.copyOf(KeySchema.shardCounts(List.of("flushes", "dropped_hits"))));
    assertEquals(
        Set.of(1, 24),
        Set.copyOf(KeySchema.shardCounts(List.of("shards_24", "shards_1", "shards_x", "flushes"))));
    // a rolling upgrade: version-1 agents write the one-shard names without naming them
    assertEquals(Set.of(1, 24), Set.copyOf(KeySchema.shardCounts(List.of("shards_24"))));
    assertEquals(25, schema.readShards(hour, List.of(1, 24)).size());
    assertEquals(24, schema.readShards(hour, List.of(24, 24)).size());
    assertTrue(KeySchema.isLayoutField(KeySchema.shardsField(24)));
    assertThrows(IllegalArgumentException.class, () -> schema.shards(0));
    assertThrows(IllegalArgumentException.class, () -> schema.shards(StatsShards.MAX + 1));
  }
}
