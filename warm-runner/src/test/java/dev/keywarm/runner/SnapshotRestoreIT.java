package dev.keywarm.runner;

import static dev.keywarm.runner.SnapshotFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.schema.snapshot.SnapshotEntry;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * The snapshot's restore, end to end: real keys in a cache redis-server, a snapshot of them taken
 * as the agent takes it (DUMP + PTTL into a second, stats redis-server), the cache restarted empty,
 * then a warm with no loaders at all.
 */
class SnapshotRestoreIT {

  private static final String APP = "shop";
  private static RedisServer stats;
  private static RedisServer cache;

  private JedisPooled statsClient;
  private JedisPooled cacheClient;
  private SnapshotFixture snapshot;

  @BeforeAll
  static void servers() {
    stats = RedisServer.start("--save", ""); // arguments force servers of our own: we restart one
    cache = RedisServer.start("--save", "");
  }

  @AfterAll
  static void stop() {
    cache.close();
    stats.close();
  }

  @BeforeEach
  void clean() {
    stats.flushAll();
    cache.flushAll();
    statsClient = new JedisPooled(java.net.URI.create(stats.uri()));
    cacheClient = new JedisPooled(java.net.URI.create(cache.uri()));
    snapshot = new SnapshotFixture(statsClient, APP);
  }

  @AfterEach
  void close() {
    statsClient.close();
    cacheClient.close();
  }

  private WarmRunner.Builder runner() {
    return WarmRunner.builder()
        .planSnapshot(null)
        .app(APP)
        .redis(cache.uri())
        .statsRedis(stats.uri())
        .clock(PlanFixture.CLOCK)
        .serviceLoaders(false)
        .jmx(false)
        .ratePerSecond(0);
  }

  /** Restarts the cache empty and reconnects. */
  private void coldCache() {
    cacheClient.close();
    cache.restart();
    cacheClient = new JedisPooled(java.net.URI.create(cache.uri()));
    assertEquals(0L, cacheClient.dbSize());
  }

  @Test
  void restoresTheSnapshotByteForByteAndOnlyWhatIsStillValid() throws Exception {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (int i = 1; i <= 5; i++) {
      cacheClient.set(bytes("product:" + i), bytes("value-" + i), SetParams.setParams().px(60_000));
      keys.put("product:" + i, bytes("product:" + i));
    }
    byte[] binaryKey = {0, (byte) 0xff, 'k', (byte) 0x80, '\r', '\n'};
    byte[] binaryValue = new byte[256];
    for (int i = 0; i < 256; i++) {
      binaryValue[i] = (byte) i;
    }
    cacheClient.set(binaryKey, binaryValue, SetParams.setParams().px(120_000));
    cacheClient.set(bytes("config:flags"), bytes("no-expiry")); // no TTL
    cacheClient.hset("cart:7", Map.of("sku", "42", "qty", "3")); // another type: DUMP is any
    cacheClient.pexpire("cart:7", 90_000);
    cacheClient.set(bytes("product:written"), bytes("old"), SetParams.setParams().px(60_000));
    cacheClient.set(bytes("product:short"), bytes("soon gone"), SetParams.setParams().px(150));
    cacheClient.set(
        bytes("product:mine"), bytes("snapshot value"), SetParams.setParams().px(60_000));

    List<byte[]> restorable = new ArrayList<>(keys.values());
    restorable.addAll(List.of(binaryKey, bytes("config:flags"), bytes("cart:7")));
    List<byte[]> dumps = new ArrayList<>();
    List<Long> pttls = new ArrayList<>();
    double rank = 100;
    for (byte[] key : restorable) {
      dumps.add(cacheClient.dump(key));
      pttls.add(cacheClient.pttl(key));
      snapshot.take(cacheClient, key, rank--);
    }
    long writtenReadAt = snapshot.take(cacheClient, bytes("product:written"), rank--);
    snapshot.invalidate(bytes("product:written"), writtenReadAt + 1_000); // an agent saw a write
    snapshot.take(cacheClient, bytes("product:short"), rank--);
    snapshot.take(cacheClient, bytes("product:mine"), rank--);
    snapshot.put(bytes("product:damaged"), bytes("not an entry"));
    snapshot.rank(bytes("product:damaged"), rank--);
    snapshot.rank(bytes("product:no-value"), rank--); // ranked, value gone

    coldCache();
    Thread.sleep(200); // product:short's expiry passes
    cacheClient.set("product:mine", "the application's value"); // the application wrote first
    cache.command("CONFIG", "RESETSTAT");

    WarmResult result = runner().build().run();

    WarmProgress p = result.progress();
    assertEquals(WarmStatus.COMPLETED, result.status(), result.summary());
    assertEquals(8, p.restored(), result.summary());
    assertEquals(4, p.snapshotSkipped(), result.summary()); // written, expired, damaged, no value
    assertEquals(1, p.skippedExisting(), result.summary());
    assertEquals(0, p.warmed());
    assertEquals(0, p.noLoader());
    assertEquals(0, p.failed());
    assertEquals(13, p.planned());
    assertEquals(p.planned(), p.done());
    for (int i = 0; i < restorable.size(); i++) {
      byte[] key = restorable.get(i);
      String name = SnapshotFixture.string(key);
      assertArrayEquals(dumps.get(i), cacheClient.dump(key), name);
      long ttl = cacheClient.pttl(key);
      if (pttls.get(i) < 0) {
        assertEquals(-1, ttl, name + " must be restored without an expiry");
      } else {
        assertTrue(ttl > 0 && ttl <= pttls.get(i), name + ": " + ttl + " of " + pttls.get(i));
      }
    }
    assertArrayEquals(binaryValue, cacheClient.get(binaryKey));
    assertEquals("value-3", cacheClient.get("product:3"));
    assertEquals(-1, cacheClient.pttl("config:flags"));
    assertEquals("the application's value", cacheClient.get("product:mine"));
    assertNull(cacheClient.get("product:written"));
    assertNull(cacheClient.get("product:short"));
    assertFalse(cacheClient.exists("product:damaged"));
    assertEquals(9L, cacheClient.dbSize());
    // strings went back as SET NX (PXAT), the hash as RESTORE: 8 strings tried (product:mine
    // declined), 1 hash
    String commands = String.valueOf(cache.command("INFO", "commandstats"));
    assertTrue(commands.contains("cmdstat_set:calls=8,"), commands);
    assertTrue(commands.contains("cmdstat_restore:calls=1,"), commands);

    Map<String, String> record = statsClient.hgetAll(snapshot.schema.warmLastResult());
    assertEquals("8", record.get("restored"));
    assertEquals("4", record.get("snapshot_skipped"));
  }

  @Test
  void invalidBeforeLaterThanTheReadsBlocksEveryEntry() {
    for (int i = 0; i < 10; i++) {
      cacheClient.set("k" + i, "v", SetParams.setParams().px(60_000));
      snapshot.take(cacheClient, bytes("k" + i), i);
    }
    // an instance lost events after these reads: it cannot vouch for any of them
    snapshot.invalidBefore(System.currentTimeMillis() + 1);
    coldCache();

    WarmResult result = runner().build().run();

    assertEquals(0, result.progress().restored(), result.summary());
    assertEquals(10, result.progress().snapshotSkipped());
    assertEquals(0L, cacheClient.dbSize());
  }

  @Test
  void anInvalidationThatArrivesDuringTheRestoreStillCounts() throws Exception {
    // 150 pages of 20; the last key is invalidated once the first page is in the cache
    int entries = 3_000;
    byte[] last = bytes("k" + (entries - 1));
    try (var pipeline = statsClient.pipelined()) {
      for (int i = 0; i < entries; i++) {
        cacheClient.set("k" + i, "v", SetParams.setParams().px(60_000));
        byte[] key = bytes("k" + i);
        pipeline.hset(
            bytes(snapshot.schema.snapshotValues()), key, entryReadNow(cacheClient.dump(key)));
        pipeline.zadd(bytes(snapshot.schema.snapshotRank()), entries - i, key);
      }
    }
    coldCache();
    CompletableFuture<Void> invalidated =
        CompletableFuture.runAsync(
            () -> {
              while (!cacheClient.exists("k0")) {
                Thread.onSpinWait();
              }
              snapshot.invalidate(last, System.currentTimeMillis() + 200);
            });
    // the writers' queue (2 x 2 writers x 20) holds entries already judged: the key is far behind
    WarmResult result = runner().writers(1, 20).build().run();
    invalidated.get(5, TimeUnit.SECONDS);

    assertEquals(entries - 1, result.progress().restored(), result.summary());
    assertEquals(1, result.progress().snapshotSkipped());
    assertFalse(cacheClient.exists(last));
  }

  private static byte[] entryReadNow(byte[] payload) {
    long now = System.currentTimeMillis();
    return new SnapshotEntry(now, now + 60_000, payload).encode();
  }

  @Test
  void hottestFirstWithinTheKeyBudget() {
    for (int i = 0; i < 6; i++) {
      cacheClient.set("hot" + i, "v" + i, SetParams.setParams().px(60_000));
      snapshot.take(cacheClient, bytes("hot" + i), i); // hot5 is the hottest
    }
    coldCache();

    WarmResult result = runner().maxKeys(3).build().run();

    assertEquals(WarmStatus.BUDGET_REACHED, result.status(), result.summary());
    assertEquals(3, result.progress().restored());
    assertEquals(Set.of("hot5", "hot4", "hot3"), cacheClient.keys("*"));
  }

  @Test
  void plannedKeysTheSnapshotRestoredAreNotLoadedAgain() {
    PlanFixture plan = new PlanFixture(stats.uri(), APP);
    plan.plan("g1", PlanFixture.ranked("p", 4), Map.of()); // p0 (hottest) .. p3
    plan.pair("g1", "p0", "follower", 5.0);
    for (String key : List.of("p0", "p1", "extra")) {
      cacheClient.set(key, "snap-" + key, SetParams.setParams().px(60_000));
      snapshot.take(cacheClient, bytes(key), 1);
    }
    coldCache();
    List<String> loaded = Collections.synchronizedList(new ArrayList<>());
    KeyLoader loader =
        key -> {
          loaded.add(SnapshotFixture.string(key));
          return LoadedValue.of(bytes("loaded"));
        };

    WarmResult result = runner().loader("*", loader, Duration.ofMinutes(1)).build().run();
    plan.close();

    assertEquals(WarmStatus.COMPLETED, result.status(), result.summary());
    // p2, p3 from the plan; follower of the restored p0
    assertEquals(Set.of("p2", "p3", "follower"), Set.copyOf(loaded), loaded.toString());
    assertEquals(3, loaded.size());
    assertEquals(3, result.progress().restored());
    assertEquals(3, result.progress().warmed());
    assertEquals(3 + 2 + 1, result.progress().planned());
    assertEquals(1.0, result.expectedCoverage(), 1e-9);
    assertEquals("snap-p0", cacheClient.get("p0"));
    assertEquals("loaded", cacheClient.get("follower"));
  }

  @Test
  void aHashFieldInTheSnapshotIsNeverRestoredAndIsLoadedThroughItsFieldLoader() {
    PlanFixture plan = new PlanFixture(stats.uri(), APP);
    byte[] member = PlanFixture.field("user:1", "name");
    plan.planMembers("g1", List.of(bytes("p0"), member));
    cacheClient.set("p0", "snap-p0", SetParams.setParams().px(60_000));
    snapshot.take(cacheClient, bytes("p0"), 2);
    // an entry under a field's member, as a keeper that dumped plan members might leave: a dump
    // of the whole hash, which must not be restored under the member's name
    cacheClient.hset("user:1", "name", "whole-hash");
    cacheClient.pexpire("user:1", 60_000);
    long readAt = System.currentTimeMillis();
    snapshot.put(
        member,
        new SnapshotEntry(
                readAt, SnapshotEntry.expiryOf(readAt, 60_000), cacheClient.dump(bytes("user:1")))
            .encode());
    snapshot.rank(member, 3);
    coldCache();
    cacheClient.hset("user:1", "app", "x"); // the application's hash, with a TTL, already back:
    cacheClient.pexpire("user:1", 60_000); // fields go into it on every version

    WarmResult result =
        runner()
            .fieldLoader("user:*", (key, field) -> LoadedValue.of(bytes("loaded")))
            .build()
            .run();
    plan.close();

    assertEquals(WarmStatus.COMPLETED, result.status(), result.summary());
    assertEquals(1, result.progress().restored());
    assertEquals(1, result.progress().snapshotSkipped());
    assertEquals(1, result.progress().warmed());
    assertEquals(2 + 1, result.progress().planned()); // two snapshot entries, the field loaded
    assertEquals("snap-p0", cacheClient.get("p0"));
    assertEquals("loaded", cacheClient.hget("user:1", "name"));
    assertFalse(cacheClient.exists(member), "no key under the member's own bytes");
    assertEquals(Set.of("p0", "user:1"), cacheClient.keys("*")); // stats apart: nothing else
  }

  @Test
  void noSnapshotRestoresNothing() {
    cacheClient.set("k", "v", SetParams.setParams().px(60_000));
    snapshot.take(cacheClient, bytes("k"), 1);
    coldCache();

    WarmResult result = runner().snapshot(false).build().run();

    assertEquals(WarmStatus.COMPLETED, result.status());
    assertEquals(0, result.progress().restored());
    assertEquals(0, result.progress().planned());
    assertEquals(0L, cacheClient.dbSize());
  }

  @Test
  void twoRunnersStartedTogetherRestoreOnce() throws Exception {
    int entries = 2_000;
    for (int i = 0; i < entries; i++) {
      cacheClient.set("k" + i, "value " + i, SetParams.setParams().px(60_000));
      snapshot.take(cacheClient, bytes("k" + i), i);
    }
    new PlanFixture(stats.uri(), APP).plan("g1", Map.of("planned", 1.0), Map.of());
    coldCache();
    // whoever holds the lease loads the one planned key only once the other has given up
    CompletableFuture<WarmResult> loser = new CompletableFuture<>();
    KeyLoader waitsForTheOther =
        key -> {
          loser.get(10, TimeUnit.SECONDS);
          return LoadedValue.of(bytes("v"));
        };
    WarmHandle a =
        runner()
            .instanceId("a")
            .loader("*", waitsForTheOther)
            .lease(true, Duration.ofSeconds(5))
            .build()
            .start();
    WarmHandle b =
        runner()
            .instanceId("b")
            .loader("*", waitsForTheOther)
            .lease(true, Duration.ofSeconds(5))
            .build()
            .start();
    CompletableFuture.anyOf(a.result(), b.result())
        .thenAccept(first -> loser.complete((WarmResult) first));
    WarmResult ra = a.await();
    WarmResult rb = b.await();

    assertEquals(
        Set.of(WarmStatus.COMPLETED, WarmStatus.LEASE_HELD), Set.of(ra.status(), rb.status()));
    assertEquals(entries, ra.progress().restored() + rb.progress().restored());
    assertEquals(0, ra.progress().skippedExisting() + rb.progress().skippedExisting());
    assertEquals(entries + 1L, cacheClient.dbSize());
  }

  @Test
  void restoresIntoAClusterFromASnapshotKeptInIt() {
    int entries = 3_000;
    try (RedisCluster cluster = RedisCluster.start(3)) {
      RedisServer seed = cluster.nodes().get(0);
      try (JedisCluster jedis =
          new JedisCluster(Set.of(new HostAndPort(seed.host(), seed.port())))) {
        // the snapshot lives in the cluster too, on the node of the app's hash tag
        SnapshotFixture inCluster = new SnapshotFixture(jedis, APP);
        for (int i = 0; i < entries; i++) {
          cacheClient.set("item:" + i, "value " + i, SetParams.setParams().px(60_000));
          inCluster.take(cacheClient, bytes("item:" + i), i);
        }
        jedis.set("item:17", "app-value");
        // ask a node that does not hold the snapshot: the reader must follow MOVED
        RedisServer elsewhere =
            cluster.nodes().stream()
                .filter(node -> answersMoved(node, inCluster.schema.snapshotRank()))
                .findFirst()
                .orElseThrow();

        WarmResult result =
            runner().redis(cluster.seedUri()).statsRedis(elsewhere.uri()).build().run();

        assertEquals(WarmStatus.COMPLETED, result.status(), result.summary());
        assertEquals(entries - 1, result.progress().restored(), result.summary());
        assertEquals(1, result.progress().skippedExisting());
        assertEquals("app-value", jedis.get("item:17"));
        assertEquals("value 2999", jedis.get("item:2999"));
        long ttl = jedis.pttl("item:1234");
        assertTrue(ttl > 0 && ttl <= 60_000, "ttl " + ttl);
        for (RedisServer node : cluster.nodes()) {
          long keys = (Long) node.command("DBSIZE");
          assertTrue(keys > entries / 6, "node " + node + " holds only " + keys + " keys");
        }
      }
    }
  }

  private static boolean answersMoved(RedisServer node, String key) {
    try {
      node.command("TYPE", key);
      return false;
    } catch (IllegalStateException e) {
      return e.getMessage().contains("MOVED");
    }
  }
}
