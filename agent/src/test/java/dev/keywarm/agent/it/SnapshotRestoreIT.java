package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.SnapshotField;
import dev.keywarm.schema.snapshot.SnapshotEntry;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Zero-code restore, as a user runs it: an application with no loader of any kind, the agent with
 * {@code warm=on-restart} and a stats Redis of its own, and nothing else configured. The cache
 * redis-server is killed under it and started empty: the hot keys come back byte for byte with
 * their remaining TTLs, and nothing the application changed after the snapshot read it — written,
 * deleted, or written while the cache was down — comes back with its old value.
 */
class SnapshotRestoreIT {

  private static final int PAGES = 40;
  private static RedisServer stats;
  private static RedisServer cache;
  private final List<Process> children = new ArrayList<>();
  private Path stopFile;
  private Path mutateFile;

  @BeforeAll
  static void start() {
    stats = RedisServer.start("--save", "");
    cache = RedisServer.start("--save", "", "--appendonly", "no");
    Assumptions.assumeTrue(cache.canRestart(), "needs redis-servers it can restart");
  }

  @AfterAll
  static void stop() {
    stats.close();
    cache.close();
  }

  @BeforeEach
  void files() throws Exception {
    stats.flushAll();
    cache.flushAll();
    stopFile = Files.createTempFile("keywarm-stop", ".flag");
    mutateFile = Files.createTempFile("keywarm-mutate", ".flag");
    Files.delete(stopFile);
    Files.delete(mutateFile);
  }

  @AfterEach
  void stopChildren() throws Exception {
    if (!Files.exists(stopFile)) {
      Files.createFile(stopFile);
    }
    for (Process child : children) {
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    Files.deleteIfExists(stopFile);
    Files.deleteIfExists(mutateFile);
  }

  @Test
  void theHotSetComesBackWithNoLoaderAndNothingStale() throws Exception {
    String app = "it-snap";
    KeySchema schema = KeySchema.forApp(app);
    Process child = startApp(app, "", 256);
    awaitSnapshotEntries(schema, PAGES, child);
    assertEquals("1", meta(schema, SnapshotField.SKIPPED_NO_TTL), "page:forever has no TTL");

    long mutatedAt = System.currentTimeMillis();
    Files.createFile(mutateFile); // page:1 overwritten, page:2 deleted, after their snapshot read
    await(
        "both invalidations published",
        child,
        () -> invalidatedAt(schema, 1) >= mutatedAt && invalidatedAt(schema, 2) >= mutatedAt);
    long writtenBy = System.currentTimeMillis();

    long killedAt = System.currentTimeMillis();
    cache.kill();
    await(
        "the write that failed while the cache was down",
        child,
        () -> invalidatedAt(schema, 3) >= killedAt);
    cache.restart();
    assertNull(get(SnapshotApp.key(PAGES)), "a restarted cache is cold");

    await("the hot set restored", child, () -> get(SnapshotApp.key(PAGES)) != null);
    Thread.sleep(500); // the last batch lands
    try (Jedis jedis = new Jedis(cache.host(), cache.port())) {
      for (int i = 4; i <= PAGES; i++) {
        byte[] key = SnapshotApp.key(i);
        assertArrayEquals(SnapshotApp.value(i, "v1", 256), jedis.get(key), "page:" + i);
        long ttl = jedis.pttl(key);
        long ageMillis = System.currentTimeMillis() - writtenBy;
        assertTrue(ttl > 0 && ttl <= SnapshotApp.TTL_SECONDS * 1000L, "remaining TTL " + ttl);
        assertTrue(ttl < SnapshotApp.TTL_SECONDS * 1000L - ageMillis + 1_000, "TTL " + ttl);
      }
      byte[] first = jedis.get(SnapshotApp.key(1));
      assertTrue( // the keeper may have read the new value again before the restart: that is fresh
          first == null || Arrays.equals(SnapshotApp.value(1, "v2", 256), first),
          "overwritten after its read: never the old value, was " + text(first));
      assertNull(jedis.get(SnapshotApp.key(2)), "deleted after its read");
      assertNull(jedis.get(SnapshotApp.key(3)), "written while the cache was down");
      assertNull(jedis.get("page:forever"), "no TTL and no opt-in");
    }
    ChildJvm.Result run = finish(child);
    assertTrue(run.stderr().contains("restored"), run.stderr());
    assertEquals(0, run.stderrLines("no loaders registered: every planned"), run.stderr());
  }

  @Test
  void twoInstancesKeepOneSnapshotAndRestoreOnce() throws Exception {
    String app = "it-snap-two";
    KeySchema schema = KeySchema.forApp(app);
    Process first = startApp(app, "", 64);
    Process second = startApp(app, "", 64);
    // both wrote every page at start: the snapshot is complete once each entry was read after both
    await(
        "a snapshot every entry of which is restorable", first, () -> restorable(schema) == PAGES);
    cache.kill();
    cache.restart();
    await("restored", first, () -> get(SnapshotApp.key(PAGES)) != null);
    Thread.sleep(1_000);
    ChildJvm.Result one = finish(first);
    ChildJvm.Result two = finish(second);
    assertEquals(
        1,
        one.stderrLines("snapshot: this instance keeps it")
            + two.stderrLines("snapshot: this instance keeps it"),
        one.stderr() + two.stderr());
    // One restores; the other warms only after the lease is free again, and finds every key there.
    List<Long> restored = restoredCounts(one.stderr() + two.stderr());
    assertEquals(
        PAGES - 1, restored.stream().mapToLong(Long::longValue).sum(), restored.toString());
    assertEquals(1, restored.stream().filter(n -> n > 0).count(), restored.toString());
    try (Jedis jedis = new Jedis(cache.host(), cache.port())) {
      for (int i = 1; i <= PAGES; i++) {
        if (i != 3) { // page:3 is written (and fails) when the cache goes down: not restored
          assertArrayEquals(
              SnapshotApp.value(i, "v1", 64), jedis.get(SnapshotApp.key(i)), "page:" + i);
        }
      }
      assertNull(jedis.get(SnapshotApp.key(3)));
    }
  }

  @Test
  void aSmallBudgetKeepsTheHottestAndCountsTheRestAndAStatsOutageIsRiddenOut() throws Exception {
    String app = "it-snap-budget";
    KeySchema schema = KeySchema.forApp(app);
    int size = 48 * 1024; // 40 × 48 KB > 1 MB
    Process child = startApp(app, ",snapshotbytes=1m", size);
    await(
        "the budget full",
        child,
        () -> Long.parseLong(orZero(meta(schema, SnapshotField.SKIPPED_OVER_BUDGET))) > 0);
    Thread.sleep(2_000);
    java.util.Map<String, String> meta;
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      meta = jedis.hgetAll(schema.snapshotMeta()); // one reply: one round's figures
    }
    long entries = Long.parseLong(meta.get(SnapshotField.ENTRIES.field()));
    long skipped = Long.parseLong(meta.get(SnapshotField.SKIPPED_OVER_BUDGET.field()));
    assertEquals(PAGES, entries + skipped, "every hot key either kept or counted: " + meta);
    assertTrue(Long.parseLong(meta.get(SnapshotField.BYTES.field())) <= 1 << 20, meta.toString());
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      // page:i is read 1/i as often as page:1: the hottest half is kept, the coldest quarter not
      // (around the budget's edge, keys read almost as often may trade places)
      for (int i = 1; i <= PAGES; i++) {
        boolean kept = jedis.hexists(KeySchema.ascii(schema.snapshotValues()), SnapshotApp.key(i));
        if (i <= entries / 2) {
          assertTrue(kept, "page:" + i + " is among the hottest, " + entries + " kept");
        } else if (i > PAGES - PAGES / 4) {
          assertTrue(!kept, "page:" + i + " is among the coldest, " + entries + " kept");
        }
      }
    }

    stats.kill(); // the application goes on; the snapshot waits
    Thread.sleep(1_500);
    assertTrue(child.isAlive());
    stats.restart(); // empty: the keeper takes over again and reads everything anew
    awaitSnapshotEntries(schema, entries, child);
    ChildJvm.Result run = finish(child);
    assertEquals(0, run.exitCode(), run.stderr());
  }

  private Process startApp(String app, String moreOptions, int size) throws Exception {
    Process child =
        ChildJvm.start(
            "app="
                + app
                + ",redis="
                + stats.uri()
                + ",warm=on-restart,restartcheck=300ms,flush=1s"
                + moreOptions,
            ClientLibraries.jedis(),
            List.of(),
            SnapshotApp.class,
            cache.host(),
            Integer.toString(cache.port()),
            stopFile.toString(),
            mutateFile.toString(),
            Integer.toString(PAGES),
            Integer.toString(size));
    children.add(child);
    return child;
  }

  private ChildJvm.Result finish(Process child) throws Exception {
    if (!Files.exists(stopFile)) {
      Files.createFile(stopFile);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    return ChildJvm.result(child);
  }

  private void awaitSnapshotEntries(KeySchema schema, long entries, Process child)
      throws Exception {
    await("a snapshot of " + entries + " keys", child, () -> hlen(schema) >= entries);
  }

  private static void await(String what, Process child, BooleanSupplier condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline || !child.isAlive()) {
        throw new AssertionError(
            "not seen: " + what + "\n" + Files.readString(ChildJvm.stderrFile(child)));
      }
      Thread.sleep(50);
    }
  }

  private static List<Long> restoredCounts(String log) {
    List<Long> counts = new ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("restored (\\d+) keys from the snapshot").matcher(log);
    while (m.find()) {
      counts.add(Long.parseLong(m.group(1)));
    }
    return counts;
  }

  /** Pages whose snapshot entry the restore would take now, by the rule the restore uses. */
  private static int restorable(KeySchema schema) {
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      String before = jedis.hget(schema.snapshotMeta(), SnapshotField.INVALID_BEFORE.field());
      int count = 0;
      for (int i = 1; i <= PAGES; i++) {
        SnapshotEntry entry =
            SnapshotEntry.decode(
                jedis.hget(KeySchema.ascii(schema.snapshotValues()), SnapshotApp.key(i)));
        Double invalidated =
            jedis.zscore(KeySchema.ascii(schema.snapshotInvalidations()), SnapshotApp.key(i));
        if (entry != null
            && entry.restorable(
                System.currentTimeMillis(),
                invalidated == null ? 0 : invalidated.longValue(),
                before == null ? 0 : Long.parseLong(before))) {
          count++;
        }
      }
      return count;
    }
  }

  private static long hlen(KeySchema schema) {
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      return jedis.hlen(schema.snapshotValues());
    } catch (RuntimeException e) {
      return -1; // restarting
    }
  }

  /** When the key's last change was published, epoch ms; 0 if never. */
  private static long invalidatedAt(KeySchema schema, int page) {
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      Double score =
          jedis.zscore(KeySchema.ascii(schema.snapshotInvalidations()), SnapshotApp.key(page));
      return score == null ? 0 : score.longValue();
    }
  }

  private static String meta(KeySchema schema, SnapshotField field) {
    try (Jedis jedis = new Jedis(stats.host(), stats.port())) {
      return jedis.hget(schema.snapshotMeta(), field.field());
    }
  }

  private static String orZero(String value) {
    return value == null ? "0" : value;
  }

  private static byte[] get(byte[] key) {
    try (Jedis jedis = new Jedis(cache.host(), cache.port())) {
      return jedis.get(key);
    } catch (RuntimeException e) {
      return null; // restarting
    }
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
