package dev.keywarm.agent.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.schema.PairMember;
import dev.keywarm.testsupport.RedisServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trim scripts against a real redis-server: each set back to exactly its cap past the slack,
 * lowest first, every removed score and member counted in the hour's meta — also when instances
 * race to trim the same hour.
 */
class HourlySetTrimIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final HourBucket HOUR = HourBucket.parse("2026120109");
  private static final int CAP = 1000;
  private static final int PAIR_CAP = 100;

  private static RespConnection connect() throws IOException {
    return RespConnection.open(RedisEndpoint.parse(REDIS.server().uri()), 5000, "trim-test");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Members one call removes, and ranks in {@code ttl}, in these tests: a trim takes many calls.
   */
  private static final int PER_CALL = 60;

  private static final int SLICE = 97;

  /**
   * A window that wrote {@code entries} keys to each set named (only their number matters: it says
   * which sets grew, and by how much, for the flush's call budget).
   */
  private static WindowSnapshot wrote(
      int entries, boolean reads, boolean loads, boolean pairs, boolean ttls) {
    long one = 1;
    byte[][] members = new byte[entries][];
    long[] read = new long[entries];
    long[] writes = new long[entries];
    long[] loadNanos = new long[entries];
    long[] loadCounts = new long[entries];
    long[] ttl = new long[entries];
    byte[][] pairMembers = new byte[pairs ? entries : 0][];
    long[] pairCounts = new long[pairs ? entries : 0];
    for (int i = 0; i < entries; i++) {
      members[i] = bytes("any" + i);
      read[i] = reads ? one : 0;
      writes[i] = one;
      loadNanos[i] = loads ? 1000 : 0;
      loadCounts[i] = loads ? one : 0;
      ttl[i] = ttls ? 60_000 : 0;
      if (pairs) {
        pairMembers[i] = PairMember.encode(bytes("a" + i), bytes("b"));
        pairCounts[i] = one;
      }
    }
    return new WindowSnapshot(
        HOUR,
        members,
        read,
        read.clone(),
        writes,
        loadNanos,
        loadCounts,
        new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0),
        pairMembers,
        pairCounts,
        ttl);
  }

  /** One flush's trim by one instance (its own cursor): the members removed. */
  private static long trim(HourlySetTrim trim, WindowSnapshot window) throws IOException {
    try (RespConnection out = connect()) {
      return trim.run(out, window);
    }
  }

  private static HourlySetTrim instance(KeySchema schema) {
    return new HourlySetTrim(schema, CAP, PAIR_CAP, PER_CALL, SLICE);
  }

  /** Flushes of one instance until one trims nothing; each flush's calls are bounded. */
  private static long settle(HourlySetTrim trim, WindowSnapshot window, int maxFlushes)
      throws IOException {
    long removed = 0;
    for (int flush = 0; flush < maxFlushes; flush++) {
      long now = trim(trim, window);
      if (now == 0) {
        return removed;
      }
      removed += now;
    }
    throw new AssertionError("still trimming after " + maxFlushes + " flushes");
  }

  /** member i of {@code prefix}, score i, for i in [from, to). */
  private static void fill(String key, String prefix, int from, int to) throws IOException {
    try (RespConnection out = connect()) {
      for (int i = from; i < to; i++) {
        out.send("ZINCRBY", key, i, prefix + i);
      }
      out.flush();
      for (int i = from; i < to; i++) {
        out.read();
      }
    }
  }

  private static long meta(KeySchema schema, MetaField field) {
    Object value = REDIS.server().command("HGET", schema.meta(HOUR), field.field());
    return value == null ? 0 : Long.parseLong(value.toString());
  }

  private static long card(String key) {
    return (Long) REDIS.server().command("ZCARD", key);
  }

  private static long sum(long from, long to) {
    return (to - 1 + from) * (to - from) / 2;
  }

  @Test
  void aSetPastItsCapBySlackLosesItsLowestMembersDownToTheCapAllCounted() throws Exception {
    KeySchema schema = KeySchema.forApp("trim-lowest");
    String hits = schema.hourly(HOUR, HourlySet.HITS);
    HourlySetTrim trim = instance(schema);
    fill(hits, "k", 1, 1101); // 1 100 members: within the slack
    assertEquals(0, trim(trim, wrote(1100, true, false, false, false)));
    assertEquals(1100, card(hits));

    fill(hits, "k", 1101, 1301); // 1 300: past it
    long calls = evalCalls();
    assertEquals(300, trim(trim, wrote(200, true, false, false, false)), "in one flush");
    assertTrue(evalCalls() - calls >= 300 / PER_CALL, "each call removes at most " + PER_CALL);
    assertEquals(CAP, card(hits));
    assertNull(REDIS.server().command("ZSCORE", hits, "k300"), "the lowest went");
    assertEquals("301", REDIS.server().command("ZSCORE", hits, "k301"), "the rest kept exactly");
    assertEquals(sum(1, 301), meta(schema, MetaField.TRIMMED_HITS));
    assertEquals(300, meta(schema, MetaField.TRIMMED_HITS_MEMBERS));
    assertEquals(0, meta(schema, MetaField.TRIMMED_MISSES_MEMBERS), "misses was empty");
  }

  @Test
  void instancesRacingIntoOneHourTrimOnceAndCountEveryRemovalOnce() throws Exception {
    KeySchema schema = KeySchema.forApp("trim-race");
    String misses = schema.hourly(HOUR, HourlySet.MISSES);
    int writers = 6;
    int rounds = 8;
    int perRound = 400;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        HourlySetTrim instance = instance(schema);
        done.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    int from = (writer * rounds + r) * perRound;
                    fill(misses, "m", from, from + perRound); // like a window's ZINCRBYs
                    trim(instance, wrote(perRound, true, false, false, false));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    long members = (long) writers * rounds * perRound;
    long kept = card(misses);
    assertTrue(kept <= HourlySetTrim.trimAbove(CAP), "at rest within cap + slack: " + kept);
    assertEquals(members, kept + meta(schema, MetaField.TRIMMED_MISSES_MEMBERS));
    long stored = 0;
    List<?> all = (List<?>) REDIS.server().command("ZRANGE", misses, "0", "-1", "WITHSCORES");
    for (int i = 1; i < all.size(); i += 2) {
      stored += Long.parseLong(all.get(i).toString());
    }
    assertEquals(sum(0, members), stored + meta(schema, MetaField.TRIMMED_MISSES));
    assertEquals(Long.toString(members - 1), all.get(all.size() - 1).toString(), "top kept");
  }

  @Test
  void loadTimeLeavesTogetherWithItsLoadsAndPairsHaveTheirOwnCap() throws Exception {
    KeySchema schema = KeySchema.forApp("trim-loads");
    String loads = schema.hourly(HOUR, HourlySet.LOADS);
    String loadMicros = schema.hourly(HOUR, HourlySet.LOAD_MICROS);
    fill(loads, "k", 1, 1201);
    try (RespConnection out = connect()) { // long loads for the least-loaded keys
      for (int i = 1; i < 1201; i++) {
        out.send("ZINCRBY", loadMicros, 1_000_000 - i, "k" + i);
      }
      out.flush();
      for (int i = 1; i < 1201; i++) {
        out.read();
      }
    }
    String pairs = schema.pairs(HOUR);
    for (int i = 1; i <= 150; i++) {
      REDIS.server().command("ZINCRBY", pairs, Integer.toString(i), "p" + i);
    }
    assertEquals(200 + 50, trim(instance(schema), wrote(200, false, true, true, false)));
    assertEquals(CAP, card(loads));
    assertEquals(CAP, card(loadMicros));
    assertNull(REDIS.server().command("ZSCORE", loadMicros, "k200"));
    assertNotNull(REDIS.server().command("ZSCORE", loadMicros, "k201"));
    assertEquals(sum(1, 201), meta(schema, MetaField.TRIMMED_LOADS));
    assertEquals(200L * 1_000_000 - sum(1, 201), meta(schema, MetaField.TRIMMED_LOAD_MICROS));
    assertEquals(200, meta(schema, MetaField.TRIMMED_LOADS_MEMBERS));
    assertEquals(PAIR_CAP, card(pairs));
    assertEquals(sum(1, 51), meta(schema, MetaField.TRIMMED_PAIRS));
    assertEquals(50, meta(schema, MetaField.TRIMMED_PAIRS_MEMBERS));
  }

  @Test
  void theTtlSetKeepsTheTtlsOfTheMostReadKeys() throws Exception {
    KeySchema schema = KeySchema.forApp("trim-ttl");
    String ttl = schema.ttls(HOUR);
    String hits = schema.hourly(HOUR, HourlySet.HITS);
    String misses = schema.hourly(HOUR, HourlySet.MISSES);
    fillTtls(ttl, hits, misses);
    // the read sets' cut (their 1000th score, 250) certifies only the unread; then a pass over
    // the set finds the 1000th most read (500): the least read go down to the cap
    assertEquals(500, settle(instance(schema), wrote(500, false, false, false, true), 3));
    assertTtlsOfTheMostReadKept(schema, ttl);
    assertEquals(1200, card(hits), "the ttl trim never touches the read sets");
  }

  /** Unread first, then the least read; k500 and k300..k499 tie at the cut, one of them stays. */
  private static void assertTtlsOfTheMostReadKept(KeySchema schema, String ttl) {
    assertEquals(CAP, card(ttl));
    for (int i = 0; i < 300; i++) {
      assertNull(REDIS.server().command("ZSCORE", ttl, "k" + i), "unread first: k" + i);
    }
    int atTheCut = 0;
    for (int i = 300; i <= 500; i++) {
      atTheCut += REDIS.server().command("ZSCORE", ttl, "k" + i) == null ? 0 : 1;
    }
    assertEquals(1, atTheCut, "the least read went, down to the cap");
    for (int i = 501; i < 1500; i++) {
      assertEquals(
          i % 2 == 0 ? "-1" : "600",
          REDIS.server().command("ZSCORE", ttl, "k" + i),
          "the most read keep their TTLs: k" + i);
    }
    assertEquals(500, meta(schema, MetaField.TRIMMED_TTL_MEMBERS));
  }

  /** 1 500 keys with a TTL: k0..k299 never read, k300..k1499 read i times (hits and misses). */
  private static void fillTtls(String ttl, String hits, String misses) throws IOException {
    try (RespConnection out = connect()) {
      int commands = 0;
      for (int i = 0; i < 1500; i++) {
        out.send("ZADD", ttl, i % 2 == 0 ? "-1" : "600", "k" + i);
        commands++;
        if (i >= 300) {
          out.send("ZINCRBY", hits, i / 2, "k" + i);
          out.send("ZINCRBY", misses, i - i / 2, "k" + i);
          commands += 2;
        }
      }
      out.flush();
      for (int i = 0; i < commands; i++) {
        out.read();
      }
    }
  }

  @Test
  void instancesRacingToTrimTheTtlSetCountEachRemovalOnceAndKeepTheMostRead() throws Exception {
    KeySchema schema = KeySchema.forApp("trim-ttl-race");
    String ttl = schema.ttls(HOUR);
    fillTtls(ttl, schema.hourly(HOUR, HourlySet.HITS), schema.hourly(HOUR, HourlySet.MISSES));
    int instances = 4;
    ExecutorService pool = Executors.newFixedThreadPool(instances);
    long removed = 0;
    try {
      List<Future<Long>> done = new ArrayList<>();
      for (int w = 0; w < instances; w++) {
        HourlySetTrim instance = instance(schema); // each its own cursor and pass
        done.add(pool.submit(() -> settle(instance, wrote(500, false, false, false, true), 5)));
      }
      for (Future<Long> f : done) {
        removed += f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(500, removed, "the instances' replies add up to what went");
    assertTtlsOfTheMostReadKept(schema, ttl);
  }

  @Test
  void aTtlSetGrowingFlushByFlushIsHeldAtItsBound() throws Exception {
    KeySchema schema = KeySchema.forApp("trim-ttl-grow");
    String ttl = schema.ttls(HOUR);
    String misses = schema.hourly(HOUR, HourlySet.MISSES);
    HourlySetTrim trim = instance(schema);
    int perFlush = 400; // a key explosion: new keys missed once, then set with a TTL
    long added = 0;
    for (int flush = 0; flush < 12; flush++) {
      try (RespConnection out = connect()) {
        for (int i = 0; i < perFlush; i++) {
          String key = "x" + (flush * perFlush + i);
          out.send("ZINCRBY", misses, 1, key);
          out.send("ZADD", ttl, "60", key);
        }
        out.flush();
        for (int i = 0; i < 2 * perFlush; i++) {
          out.read();
        }
      }
      added += perFlush;
      trim(trim, wrote(perFlush, true, false, false, true));
      assertTrue(card(misses) <= HourlySetTrim.trimAbove(CAP), "misses: " + card(misses));
      assertTrue(card(ttl) <= HourlySetTrim.trimAbove(CAP), "ttl at rest: " + card(ttl));
    }
    assertEquals(added, card(ttl) + meta(schema, MetaField.TRIMMED_TTL_MEMBERS));
    assertEquals(added, card(misses) + meta(schema, MetaField.TRIMMED_MISSES_MEMBERS));
  }

  /** Script calls the server ran, by text ({@code EVAL}) and by SHA-1 ({@code EVALSHA}). */
  private static long evalCalls() {
    return calls("eval") + calls("evalsha");
  }

  private static long calls(String command) {
    String stats = String.valueOf(REDIS.server().command("INFO", "commandstats"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void aScriptTheServerNoLongerHasIsSentAgainWithItsTextOnceThenCalledBySha() throws Exception {
    KeySchema schema = KeySchema.forApp("trim-noscript");
    String hits = schema.hourly(HOUR, HourlySet.HITS);
    HourlySetTrim trim = instance(schema);
    assertEquals(0, trim(trim, wrote(1, true, false, false, true)), "the SHA-1s known from here");
    REDIS.server().command("SCRIPT", "FLUSH");
    fill(hits, "k", 1, 1301);
    long byText = calls("eval");
    assertEquals(300, trim(trim, wrote(200, true, false, false, false)), "trimmed all the same");
    long sentWithText = calls("eval") - byText;
    // hits, misses and writes each sent their first call in one pipeline: each was refused
    assertTrue(sentWithText > 0 && sentWithText <= 3, sentWithText + " calls with the text");
    assertEquals(CAP, card(hits));
    assertEquals(300, meta(schema, MetaField.TRIMMED_HITS_MEMBERS), "each removal counted once");

    fill(hits, "k", 1301, 1501);
    assertEquals(200, trim(trim, wrote(200, true, false, false, false)));
    assertEquals(byText + sentWithText, calls("eval"), "cached since: called by its SHA-1 alone");
    assertEquals(500, meta(schema, MetaField.TRIMMED_HITS_MEMBERS));
  }
}
