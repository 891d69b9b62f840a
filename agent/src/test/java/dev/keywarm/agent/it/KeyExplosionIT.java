package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.schema.PairMember;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * A key explosion — distinct keys read once, over several flush windows — leaves every hourly set
 * of the stats Redis within its documented bound (cap + 10 %), the hot keys' counts exact, and the
 * stored scores plus the hour's {@code trimmed_*} equal to what the application did, to the event.
 * The caps are small ({@code hourkeys=2000}, one window of 1 000 new keys a second), so trims start
 * after three windows and repeat every window after.
 */
class KeyExplosionIT {

  @RegisterExtension static final RedisServerExtension CACHE = new RedisServerExtension();
  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();

  private static final int CAP = 2000;

  /** A set's bound: its share of the cap (all of it with one shard) and a tenth. */
  private static long bound = CAP + CAP / 10;

  private static final int TICKS = 60; // 6 s of traffic: six windows of 1 s

  private static ChildJvm.Result run(String app, String agentArgs, String mode) throws Exception {
    CACHE.server().flushAll(); // the flood keys miss in every run
    ChildJvm.Result run =
        ChildJvm.run(
            // the tail every window (tailflush=flush), so the explosion reaches the stats Redis
            "app=" + app + ",redis=" + STATS.server().uri() + ",flush=1s,tailflush=1s," + agentArgs,
            ClientLibraries.jedis(),
            KeyExplosionApp.class,
            CACHE.server().host(),
            Integer.toString(CACHE.server().port()),
            mode,
            Integer.toString(TICKS));
    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
    assertEquals(0, run.stderrLines("keywarm is disabled"), run.stderr());
    return run;
  }

  private static long printed(ChildJvm.Result run, String name) {
    Matcher m = Pattern.compile(name + "=(\\d+)").matcher(run.stdout());
    assertTrue(m.find(), run.stdout());
    return Long.parseLong(m.group(1));
  }

  private static long meta(Map<String, String> meta, MetaField field) {
    return Long.parseLong(meta.getOrDefault(field.field(), "0"));
  }

  /** Every hour's key named by {@code suffix}: the test may straddle an hour. */
  private static List<byte[]> hourKeys(Jedis jedis, String app, String suffix) {
    List<byte[]> keys = new ArrayList<>();
    // one shard's names (kw:{app}:…) or many shards' (kw:{app~n}:…)
    for (String key : jedis.keys(KeySchema.PREFIX + "{" + app + "[}~]*:h:*:" + suffix)) {
      keys.add(key.getBytes(StandardCharsets.UTF_8));
    }
    return keys;
  }

  /** Summed scores of one kind of hourly set over the hours, each within the bound. */
  private static long storedWithinBound(Jedis jedis, String app, String suffix) {
    long sum = 0;
    for (byte[] key : hourKeys(jedis, app, suffix)) {
      long card = jedis.zcard(key);
      assertTrue(card <= bound, suffix + " holds " + card + " members, over " + bound);
      for (Tuple member : jedis.zrangeWithScores(key, 0, -1)) {
        sum += Math.round(member.getScore());
      }
    }
    return sum;
  }

  private static long members(Jedis jedis, String app, String suffix) {
    long members = 0;
    for (byte[] key : hourKeys(jedis, app, suffix)) {
      members += jedis.zcard(key);
    }
    return members;
  }

  /** With 4 shards each shard's sets are capped at a quarter of {@code hourkeys}. */
  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void aKeyExplosionStaysWithinTheHourlyCapsAndEveryTrimmedCountIsInMeta(int shards)
      throws Exception {
    String app = "explode-keys-" + shards;
    int share = (CAP + shards - 1) / shards;
    bound = share + share / 10;
    ChildJvm.Result run =
        run(app, "maxkeys=" + CAP + ",hourkeys=" + CAP + ",pairkeys=0,shards=" + shards, "keys");
    long reads = printed(run, "reads");
    long writes = printed(run, "writes");
    long floods = printed(run, "floods");
    assertEquals(1, run.stderrLines("the stats Redis trimmed"), run.stderr());

    try (StatsReader reader = new StatsReader(STATS.server().host(), STATS.server().port(), app);
        Jedis jedis = new Jedis(STATS.server().host(), STATS.server().port())) {
      Map<String, String> meta = reader.meta();
      // nothing else lost: every difference below is the trim's
      assertEquals(0, meta(meta, MetaField.LOST_EVENTS), meta.toString());
      assertEquals(0, meta(meta, MetaField.DROPPED_MISSES), meta.toString());
      assertTrue(meta(meta, MetaField.TRIMMED_MISSES_MEMBERS) > 0, meta.toString());

      long hits = storedWithinBound(jedis, app, HourlySet.HITS.suffix());
      long misses = storedWithinBound(jedis, app, HourlySet.MISSES.suffix());
      assertEquals(
          reads,
          hits
              + misses
              + meta(meta, MetaField.TRIMMED_HITS)
              + meta(meta, MetaField.TRIMMED_MISSES)
              + meta(meta, MetaField.DROPPED_HITS)
              + meta(meta, MetaField.UNWRITTEN_READS),
          meta.toString());
      assertEquals(
          writes,
          storedWithinBound(jedis, app, HourlySet.WRITES.suffix())
              + meta(meta, MetaField.TRIMMED_WRITES)
              + meta(meta, MetaField.DROPPED_WRITES)
              + meta(meta, MetaField.UNWRITTEN_WRITES),
          meta.toString());
      assertEquals(
          floods,
          storedWithinBound(jedis, app, HourlySet.LOADS.suffix())
              + meta(meta, MetaField.TRIMMED_LOADS),
          "every flood key's miss → SET is a load: " + meta);
      storedWithinBound(jedis, app, HourlySet.LOAD_MICROS.suffix());
      for (byte[] key : hourKeys(jedis, app, HourlySet.LOADS.suffix())) {
        byte[] micros =
            new String(key, StandardCharsets.UTF_8).replace(":loads", ":loadus").getBytes();
        assertEquals(members(jedis.zrange(key, 0, -1)), members(jedis.zrange(micros, 0, -1)));
      }
      // each flood key was read once: in a set, or counted as trimmed from it
      assertEquals(
          floods,
          members(jedis, app, HourlySet.MISSES.suffix())
              + meta(meta, MetaField.TRIMMED_MISSES_MEMBERS));
      for (byte[] key : hourKeys(jedis, app, "ttl")) {
        assertTrue(jedis.zcard(key) <= bound, "ttl holds " + jedis.zcard(key));
      }
      assertEquals(
          floods + KeyExplosionApp.HOT_KEYS,
          members(jedis, app, "ttl") + meta(meta, MetaField.TRIMMED_TTL_MEMBERS));

      // the hot keys: exact in every set, and their TTLs kept
      for (int h = 0; h < KeyExplosionApp.HOT_KEYS; h++) {
        String key = "hot:" + h;
        assertEquals(
            (long) TICKS * KeyExplosionApp.HOT_READS_PER_TICK, reader.score(HourlySet.HITS, key));
        assertEquals(KeyExplosionApp.HOT_WRITES, reader.score(HourlySet.WRITES, key));
        assertEquals(0, reader.score(HourlySet.MISSES, key));
        long ttl = 0;
        for (byte[] hour : hourKeys(jedis, app, "ttl")) {
          Double seconds = jedis.zscore(hour, key.getBytes(StandardCharsets.UTF_8));
          ttl = seconds == null ? ttl : Math.round(seconds);
        }
        assertEquals(600, ttl, key + "'s TTL is kept: it is read most");
      }
    }
  }

  @Test
  void aPairExplosionStaysWithinHourpairsAndTheHotPairIsExact() throws Exception {
    String app = "explode-pairs";
    bound = CAP + CAP / 10;
    ChildJvm.Result run =
        run(app, "pairkeys=1,pairtime=10s,maxpairs=" + CAP + ",hourpairs=" + CAP, "pairs");
    long reads = printed(run, "reads");

    try (StatsReader reader = new StatsReader(STATS.server().host(), STATS.server().port(), app);
        Jedis jedis = new Jedis(STATS.server().host(), STATS.server().port())) {
      Map<String, String> meta = reader.meta();
      assertEquals(0, meta(meta, MetaField.LOST_EVENTS), meta.toString());
      assertTrue(meta(meta, MetaField.TRIMMED_PAIRS_MEMBERS) > 0, meta.toString());
      // one thread, each read paired with the one before: reads - 1 co-reads in all
      assertEquals(
          reads - 1,
          storedWithinBound(jedis, app, "pairs") + meta(meta, MetaField.TRIMMED_PAIRS),
          meta.toString());
      long hot = 0;
      byte[] ab = PairMember.encode("pa".getBytes(), "pb".getBytes());
      for (byte[] key : hourKeys(jedis, app, "pairs")) {
        Double score = jedis.zscore(key, ab);
        hot += score == null ? 0 : Math.round(score);
      }
      assertEquals(reads / 3, hot, "pa → pb, read together once per triple");
      assertEquals(reads / 3, reader.score(HourlySet.MISSES, "pa"));
    }
  }

  private static Set<String> members(List<byte[]> members) {
    Set<String> set = new HashSet<>();
    members.forEach(m -> set.add(new String(m, StandardCharsets.ISO_8859_1)));
    return set;
  }
}
