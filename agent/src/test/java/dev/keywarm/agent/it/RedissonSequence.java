package dev.keywarm.agent.it;

import static dev.keywarm.schema.KeySchema.HourlySet.HITS;
import static dev.keywarm.schema.KeySchema.HourlySet.LOADS;
import static dev.keywarm.schema.KeySchema.HourlySet.MISSES;
import static dev.keywarm.schema.KeySchema.HourlySet.WRITES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keywarm.schema.FieldMember;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.function.Executable;

/**
 * The known sequence of {@link RedissonScenario} for one surface {@code s}, and what it must leave
 * in the hourly sets: buckets per key; {@code RMap} and {@code RMapCache} entries per (key, field)
 * ({@link FieldMember}), the hash's own key never counted.
 */
final class RedissonSequence {

  private RedissonSequence() {}

  static void run(String s, RedissonScenario.Ops ops) {
    String user = s + ":b:user:1";
    for (int i = 0; i < 3; i++) {
      check(ops.get(user) == null, "a miss");
    }
    ops.set(user, "v");
    for (int i = 0; i < 4; i++) {
      check("v".equals(ops.get(user)), "a hit");
    }
    check(ops.trySet(s + ":b:try", "v"), "trySet wrote");
    check(!ops.trySet(s + ":b:try", "v"), "trySet declined");
    check(ops.setIfAbsent(s + ":b:abs", "v"), "setIfAbsent wrote");
    check(!ops.setIfAbsent(s + ":b:abs", "v"), "setIfAbsent declined");
    check(ops.getAndSet(s + ":b:gs", "v") == null, "getAndSet of nothing");
    check("v".equals(ops.getAndSet(s + ":b:gs", "w")), "getAndSet of v");
    ops.set(s + ":b:gd", "v");
    check("v".equals(ops.getAndDelete(s + ":b:gd")), "getAndDelete of v");
    check(ops.getAndDelete(s + ":b:gd") == null, "getAndDelete of nothing");
    ops.set(s + ":b:m1", "v");
    ops.set(s + ":b:m2", "v");
    Map<String, Object> found = ops.bucketsGet(s + ":b:m1", s + ":b:m2", s + ":b:mx");
    check(found.size() == 2, "RBuckets.get found two of three: " + found);

    String map = s + ":m:h";
    check(ops.mapGet(map, "profile") == null, "map miss");
    check(ops.mapPut(map, "profile", "v") == null, "map put");
    for (int i = 0; i < 3; i++) {
      check("v".equals(ops.mapGet(map, "profile")), "map hit");
    }
    ops.mapFastPut(map, "avatar", "v");
    ops.mapFastPut(map, "avatar", "w");
    check(ops.mapPutIfAbsent(map, "theme", "v") == null, "putIfAbsent wrote");
    check("v".equals(ops.mapPutIfAbsent(map, "theme", "w")), "putIfAbsent declined");
    Map<String, Object> all =
        ops.mapGetAll(map, new java.util.LinkedHashSet<>(List.of("profile", "avatar", "nope")));
    check(all.size() == 2, "getAll found two of three: " + all);

    String cache = s + ":mc:h";
    check(ops.cacheGet(cache, "a") == null, "map cache miss");
    check(ops.cachePut(cache, "a", "v") == null, "map cache put");
    for (int i = 0; i < 2; i++) {
      check(Objects.equals("v", ops.cacheGet(cache, "a")), "map cache hit");
    }
    // remove's script opens as get's does: it must not count as a read
    ops.cachePut(cache, "r", "v");
    check("v".equals(ops.cacheRemove(cache, "r")), "map cache remove");
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("the sequence went wrong: " + what);
    }
  }

  static List<Executable> expectations(StatsReader stats, String s) {
    List<Executable> checks = new ArrayList<>();
    expect(checks, stats, key(s + ":b:user:1"), 4, 3, 1, 1);
    expect(checks, stats, key(s + ":b:try"), 0, 0, 1, 0);
    expect(checks, stats, key(s + ":b:abs"), 0, 0, 1, 0);
    expect(checks, stats, key(s + ":b:gs"), 1, 1, 2, 1);
    expect(checks, stats, key(s + ":b:gd"), 1, 1, 1, 0);
    expect(checks, stats, key(s + ":b:m1"), 1, 0, 1, 0);
    expect(checks, stats, key(s + ":b:m2"), 1, 0, 1, 0);
    expect(checks, stats, key(s + ":b:mx"), 0, 1, 0, 0);
    String map = s + ":m:h";
    expect(checks, stats, field(map, "profile"), 4, 1, 1, 1);
    expect(checks, stats, field(map, "avatar"), 1, 0, 2, 0);
    expect(checks, stats, field(map, "theme"), 0, 0, 1, 0);
    expect(checks, stats, field(map, "nope"), 0, 1, 0, 0);
    expect(checks, stats, key(map), 0, 0, 0, 0);
    String cache = s + ":mc:h";
    expect(checks, stats, field(cache, "a"), 2, 1, 1, 1);
    expect(checks, stats, field(cache, "r"), 0, 0, 1, 0);
    expect(checks, stats, key(cache), 0, 0, 0, 0);
    return checks;
  }

  static byte[] key(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] field(String key, String field) {
    return FieldMember.encode(key(key), field.getBytes(StandardCharsets.UTF_8));
  }

  static void expect(
      List<Executable> checks,
      StatsReader stats,
      byte[] member,
      long hits,
      long misses,
      long writes,
      long loads) {
    String name = dev.keywarm.schema.KeyText.display(member);
    checks.add(() -> assertEquals(hits, stats.score(HITS, member), name + " hits"));
    checks.add(() -> assertEquals(misses, stats.score(MISSES, member), name + " misses"));
    checks.add(() -> assertEquals(writes, stats.score(WRITES, member), name + " writes"));
    checks.add(() -> assertEquals(loads, stats.score(LOADS, member), name + " loads"));
  }
}
