package dev.keywarm.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.agent.flush.HotTailSplit;
import dev.keywarm.agent.flush.StatsFlusher;
import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.KeyPrivacy;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.TailTable;
import dev.keywarm.agent.recording.WindowAggregator;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The real recorder, aggregator, tail split and flusher against a real redis-server: the hot keys'
 * counts are exact in Redis within a window, the tail's keys arrive once the tail interval has
 * passed (the split's clock is moved on; nothing here waits for it) and at exit, exactly, and the
 * stats Redis receives far fewer commands than the application sent.
 */
class HotTailSplitIT {

  @RegisterExtension static final RedisServerExtension STATS = new RedisServerExtension();

  private static final String APP = "it-tail";
  private static final int HOT = 3;
  private static final int HOT_READS = 30_000;
  private static final int TAIL = 200;

  private static final byte[] GET = bytes("GET");
  private static final byte[] SET = bytes("SET");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private long appCommands;

  private void get(String key) {
    CallRecord call = CallRecord.begin(GET);
    call.argument(1, bytes(key));
    call.complete(bytes("v"), null);
    appCommands++;
  }

  private void setEx(String key, int seconds) {
    CallRecord call = CallRecord.begin(SET);
    call.argument(1, bytes(key));
    call.argument(2, bytes("v"));
    call.argument(3, bytes("EX"));
    call.argument(4, bytes(Integer.toString(seconds)));
    call.complete("OK", null);
    appCommands++;
  }

  /** Commands this test sends to read what was written: not the agent's. */
  private static final java.util.Set<String> READS =
      java.util.Set.of("info", "keys", "zscore", "ttl", "hello", "client", "ping", "command");

  /** Calls from {@code INFO commandstats}, those of the test's own reads left out. */
  private static long statsCommands(Jedis jedis) {
    long calls = 0;
    for (String line : jedis.info("commandstats").split("\r?\n")) {
      int at = line.indexOf("calls=");
      if (line.startsWith("cmdstat_")
          && at > 0
          && !READS.contains(line.substring(8, line.indexOf(':')).replaceFirst("\\|.*", ""))) {
        calls += Long.parseLong(line.substring(at + 6, line.indexOf(',', at)));
      }
    }
    return calls;
  }

  /** The TTL the agent observed for {@code key}, in s, from the hour's {@code ttl} set. */
  private static Double observedTtl(Jedis jedis, String key) {
    for (String set : jedis.keys(KeySchema.PREFIX + "{" + APP + "}:h:*:ttl")) {
      Double score = jedis.zscore(set, key);
      if (score != null) {
        return score;
      }
    }
    return null;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(50);
    }
  }

  @Test
  void hotKeysAreExactEachWindowTheTailArrivesWhenDueAndAtExitAndStatsCommandsStayFew()
      throws Exception {
    AtomicLong clockAhead = new AtomicLong(); // the split's clock, moved on instead of waiting
    long tailMillis = TimeUnit.MINUTES.toMillis(10);
    StatsFlusher flusher =
        new StatsFlusher(
            KeySchema.forApp(APP),
            Duration.ofHours(1),
            RedisEndpoint.parse(STATS.server().uri()),
            Duration.ofSeconds(5),
            100_000,
            1L << 24,
            Duration.ofMillis(1000),
            200_000,
            20_000);
    HotTailSplit split =
        new HotTailSplit(
            HOT,
            tailMillis,
            new TailTable(1000, 1L << 20, 100),
            flusher::submit,
            () -> System.currentTimeMillis() + clockAhead.get());
    Recorder recorder = new Recorder(1, 1 << 16, TimeUnit.SECONDS.toNanos(30));
    WindowAggregator aggregator =
        new WindowAggregator(
            recorder,
            10_000,
            1L << 24,
            // a window long enough that the whole feed (a few ms) seldom straddles two: a window
            // holding only a burst's last read of a hot key would send it to the tail
            TimeUnit.MILLISECONDS.toNanos(1000),
            0,
            200,
            0,
            KeyPrivacy.PLAIN,
            split,
            System::currentTimeMillis);
    aggregator.afterEverySeal(split::tick);
    try (Jedis jedis = new Jedis(STATS.server().host(), STATS.server().port());
        StatsReader stats = new StatsReader(STATS.server().host(), STATS.server().port(), APP)) {
      long statsBefore = statsCommands(jedis);
      flusher.start();
      recorder.activate();
      aggregator.start();

      // hot keys read far more than the tail, interleaved with it
      for (int round = 0; round < 10; round++) {
        for (int h = 0; h < HOT; h++) {
          for (int i = 0; i < HOT_READS / 10; i++) {
            get("hot:" + h);
          }
        }
        for (int t = round * TAIL / 10; t < (round + 1) * TAIL / 10; t++) {
          get("tail:" + t);
          get("tail:" + t);
          if (t < 10) {
            setEx("tail:" + t, 60);
          }
        }
      }
      await(
          () -> {
            for (int h = 0; h < HOT; h++) {
              if (stats.score(HourlySet.HITS, "hot:" + h) != HOT_READS) {
                return false;
              }
            }
            return true;
          },
          "the hot keys' exact counts");
      int tailSeen = 0;
      for (int t = 0; t < TAIL; t++) {
        tailSeen += stats.score(HourlySet.HITS, "tail:" + t) > 0 ? 1 : 0;
      }
      // a window that caught only tail reads would write its 3 heaviest at once: a few at most
      assertTrue(tailSeen <= 3 * 4, tailSeen + " tail keys written before the tail was due");

      clockAhead.addAndGet(tailMillis); // the tail interval has passed
      await(
          () -> {
            for (int t = 0; t < TAIL; t++) {
              if (stats.score(HourlySet.HITS, "tail:" + t) != 2) {
                return false;
              }
            }
            return true;
          },
          "the tail, once due");
      for (int t = 0; t < 10; t++) {
        assertEquals(1, stats.score(HourlySet.WRITES, "tail:" + t));
        assertEquals(
            60.0, observedTtl(jedis, "tail:" + t), "the key's observed TTL went with the tail");
      }

      // more tail, then the JVM's exit: the tail goes before the final flush
      for (int h = 0; h < HOT; h++) {
        for (int i = 0; i < 100; i++) {
          get("hot:" + h);
        }
      }
      for (int t = 0; t < TAIL; t++) {
        get("late:" + t);
      }
      assertTrue(aggregator.stop(5_000));
      split.drainTail();
      flusher.flushOnExit(Duration.ofSeconds(10));
      for (int t = 0; t < TAIL; t++) {
        assertEquals(1, stats.score(HourlySet.HITS, "late:" + t), "late:" + t);
      }
      for (int h = 0; h < HOT; h++) {
        assertEquals(HOT_READS + 100, stats.score(HourlySet.HITS, "hot:" + h));
      }
      assertEquals(0, recorder.lostEvents());
      long sent = statsCommands(jedis) - statsBefore;
      assertTrue(
          sent * 100 < appCommands,
          sent + " stats commands for " + appCommands + " application commands");
    } finally {
      recorder.deactivate();
      aggregator.stop(1000);
    }
  }
}
