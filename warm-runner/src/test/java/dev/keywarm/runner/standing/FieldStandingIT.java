package dev.keywarm.runner.standing;

import static dev.keywarm.runner.standing.StandingFixture.NOW;
import static dev.keywarm.runner.standing.StandingFixture.await;
import static dev.keywarm.runner.standing.StandingFixture.bytes;
import static dev.keywarm.runner.standing.StandingFixture.fixed;
import static dev.keywarm.runner.standing.StandingFixture.settings;
import static dev.keywarm.runner.standing.StandingFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.FieldLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.rewarm.DeleteRewarm;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.params.SetParams;

/**
 * The standing warm and the re-warm on delete with hash fields in the plan: presence is {@code
 * HEXISTS}, writes are {@code HSETNX}, refresh-ahead leaves fields alone (counted as skipped).
 */
class FieldStandingIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();

  final List<String> fieldLoads = new CopyOnWriteArrayList<>();

  private FieldLoader fields() {
    return (key, field) -> {
      fieldLoads.add(string(key) + "/" + string(field));
      return LoadedValue.of(bytes("loaded:" + string(key) + "/" + string(field)));
    };
  }

  private static byte[] field(String key, String field) {
    return FieldMember.encode(bytes(key), bytes(field));
  }

  private static boolean fieldTtl(StandingFixture fixture) {
    try (RedisTarget target =
        RedisTarget.connect(fixture.cacheUri(), Duration.ofSeconds(2), Duration.ofSeconds(2))) {
      return target.supportsFieldTtl();
    }
  }

  @Test
  void scheduledLoadsAbsentFieldsLeavesPresentOnesAndNeedsATtlForEach() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publishMembers(
          Map.of(
              10, List.of(field("u:1", "p"), field("u:2", "p"), bytes("k:3"), field("u:4", "p"))),
          List.of());
      fixture.cache.hset("u:2", "p", "app"); // present: not loaded
      fixture.cache.hset("u:4", "other", "x"); // the application's hash, without a TTL
      boolean fieldTtl = fieldTtl(fixture);
      try (StandingWarm standing =
          fixture
              .runner("a", fixed(NOW))
              .loader("*", key -> LoadedValue.of(bytes("key:" + string(key))))
              .fieldLoader("u:*", fields())
              .build()
              .standingWarm(
                  settings(
                      "standing", "scheduled", "scheduledevery", "1h", "scheduledkeys", "4"))) {
        await(
            "the round done",
            () -> {
              var s = standing.stats(StandingTechnique.SCHEDULED);
              return s.loaded() + s.noTtl() + s.present() == 4;
            });
        var stats = standing.stats(StandingTechnique.SCHEDULED);
        assertEquals(1, stats.present());
        assertEquals(List.of("u:1/p", "u:4/p"), fieldLoads);
        assertEquals("key:k:3", fixture.cache.get("k:3"));
        assertEquals("app", fixture.cache.hget("u:2", "p"));
        assertEquals(-1, fixture.cache.pttl("u:4"), "the application's hash keeps no TTL");
        if (fieldTtl) {
          assertEquals("loaded:u:1/p", fixture.cache.hget("u:1", "p"));
          assertEquals(3, stats.loaded()); // the field gets its own TTL
          assertEquals(0, stats.noTtl());
        } else {
          assertEquals(1, stats.loaded()); // k:3
          // nothing would ever expire u:4's new field, and a u:1 the warm created would expire
          // with every field the application writes into it later: neither is written
          assertEquals(2, stats.noTtl());
          assertFalse(fixture.cache.hexists("u:4", "p"));
          assertFalse(fixture.cache.exists("u:1"));
        }
      }
    }
  }

  @Test
  void refreshAheadSkipsFieldsAndCountsThem() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publishMembers(Map.of(10, List.of(field("r:1", "p"), bytes("hot:0"))), List.of());
      fixture.observedTtl(field("r:1", "p"), 100, NOW);
      fixture.observedTtl("hot:0", 100, NOW);
      fixture.cache.hset("r:1", "p", "old");
      fixture.cache.pexpire("r:1", 5_000); // as near its expiry as hot:0
      fixture.cache.set("hot:0", "old", SetParams.setParams().px(5_000));
      try (StandingWarm standing =
          fixture
              .runner("a", fixed(NOW))
              .callTimeout(Duration.ofSeconds(5))
              .loader("*", key -> LoadedValue.of(bytes("new:" + string(key))))
              .fieldLoader("*", fields())
              .build()
              .standingWarm(settings("standing", "refresh-ahead", "refreshcheck", "1h"))) {
        await("hot:0 refreshed", () -> "new:hot:0".equals(fixture.cache.get("hot:0")));
        Thread.sleep(200);
        var stats = standing.stats(StandingTechnique.REFRESH_AHEAD);
        assertEquals(1, stats.loaded());
        assertEquals(1, stats.skipped(), "the field, at the one check");
        assertEquals(List.of(), fieldLoads);
        assertEquals("old", fixture.cache.hget("r:1", "p"));
        long ttl = fixture.cache.pttl("r:1");
        assertTrue(ttl > 0 && ttl <= 5_000, "the hash's TTL untouched: " + ttl);
      }
    }
  }

  @Test
  void aDeletedHashHasItsPlannedFieldsRewarmed() throws Exception {
    try (StandingFixture fixture = new StandingFixture(STATS, CACHE)) {
      fixture.publishMembers(
          Map.of(10, List.of(field("d:1", "p"), field("d:1", "q"), bytes("d:2"))), List.of());
      try (DeleteRewarm rewarm =
          fixture
              .runner("a", fixed(NOW))
              .loader("*", key -> LoadedValue.of(bytes("key:" + string(key))))
              .fieldLoader("d:*", fields())
              .build()
              .rewarmOnDelete(Duration.ZERO)) {
        Thread.sleep(300); // the hot set read
        rewarm.accept(bytes("d:1")); // DEL d:1: both planned fields went with it
        rewarm.accept(bytes("other")); // not hot
        if (fieldTtl(fixture)) {
          await("both fields back", () -> fixture.cache.hlen("d:1") == 2);
          assertEquals("loaded:d:1/p", fixture.cache.hget("d:1", "p"));
          assertEquals("loaded:d:1/q", fixture.cache.hget("d:1", "q"));
          // counted after its write returns: the second field can be readable a moment before
          await("both counted", () -> rewarm.rewarmed() == 2);
        } else {
          // before 7.4 the re-created hash's TTL would expire the application's later fields
          // with it (a @CacheEvict(allEntries) then a refill): loaded, never written
          await("both refused", () -> fieldLoads.size() == 2 && rewarm.rewarmed() == 0);
          Thread.sleep(200);
          assertFalse(fixture.cache.exists("d:1"));
        }
        assertEquals(List.of("d:1/p", "d:1/q"), fieldLoads);
        assertFalse(fixture.cache.exists("d:2"), "not deleted: not re-warmed");
      }
    }
  }
}
