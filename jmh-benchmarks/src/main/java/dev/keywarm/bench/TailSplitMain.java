package dev.keywarm.bench;

import dev.keywarm.agent.config.AgentOptions;
import dev.keywarm.agent.config.InvalidOptionException;
import dev.keywarm.agent.flush.HotTailSplit;
import dev.keywarm.agent.flush.StatsFlusher;
import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.TailTable;
import dev.keywarm.agent.recording.WindowAggregator;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Claim: with the agent's default options, at 100 000 application commands/s of Zipf(1.0) over 1 M
 * keys, the stats Redis receives at most 1 command per 100 application commands, and the counts of
 * the 10 000 most used keys in it are exact.
 *
 * <p>What it measures: one application thread records, through exactly the calls the hooks make
 * ({@link CallRecord}), a cache-aside loop paced at {@code --rate}: {@code GET} of a Zipf key; a
 * miss (the key not cached, or its simulated {@code --ttl} passed) is followed by {@code SET key v
 * EX ttl}. The real {@link Recorder} and {@link WindowAggregator} seal windows; each sealed window
 * goes both to the new path ({@link HotTailSplit} then a {@link StatsFlusher} into one private
 * redis-server) and to the old one (a second {@link StatsFlusher}, every key of every window, into
 * another): the same windows, side by side. After {@code --seconds} the aggregator stops, the tail
 * is handed over and both flushers finish as on JVM exit (budget 60 s). Stats commands are the
 * delta of {@code INFO commandstats} (all calls, script-internal ones included) on each server;
 * then the true counts the loop kept are compared, for its top 10 000 keys by hits + misses +
 * writes, with {@code ZSCORE}s summed over the hours of the run.
 *
 * <p>What would make it wrong: events lost at a full ring (printed; the comparison then cannot be
 * exact), a run shorter than a tail interval (the exit's tail is then the only one: the ratio
 * overstates steady state by one tail per run — run at least two {@code tailflush}), a machine too
 * busy to keep the rate (the achieved rate is printed).
 *
 * <p>Args: {@code [--seconds S=600] [--rate OPS=100000] [--keys N=1000000] [--ttl S=300] [--top
 * N=10000] [--path both|new|old] [--agent "flush=10s,..."]} (agent options, default: the defaults).
 * {@code both} feeds the same windows to both paths; on a small machine the two flushers compete
 * for its cores, so {@code new} and {@code old} run each alone.
 */
public final class TailSplitMain {

  private static final String APP = "bench-tail";
  private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EX = "EX".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VALUE = "v".getBytes(StandardCharsets.US_ASCII);

  private TailSplitMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "600"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "100000"));
    int keyCount = Integer.parseInt(a.getOrDefault("keys", "1000000"));
    int ttlSeconds = Integer.parseInt(a.getOrDefault("ttl", "300"));
    int top = Integer.parseInt(a.getOrDefault("top", "10000"));
    String path = a.getOrDefault("path", "both");
    boolean runNew = !path.equals("old");
    boolean runOld = !path.equals("new");
    AgentOptions options = options(a.getOrDefault("agent", ""));
    System.out.printf(
        Locale.ROOT,
        "[tail] %d s at %d ops/s, Zipf(1.0) over %d keys, cache-aside TTL %d s; agent: %s%n",
        seconds,
        rate,
        keyCount,
        ttlSeconds,
        options);

    try (RedisServer newStats = RedisServer.start();
        RedisServer oldStats = RedisServer.start()) {
      KeySchema schema = KeySchema.forApp(APP);
      StatsFlusher newFlusher = flusher(options, schema, newStats);
      StatsFlusher oldFlusher = flusher(options, schema, oldStats);
      HotTailSplit split =
          new HotTailSplit(
              options.hotKeys(),
              options.tailFlush().toMillis(),
              new TailTable(options.maxKeys(), options.keyBytes(), options.maxPairs()),
              newFlusher::submit,
              System::currentTimeMillis);
      long[] splitNanos = new long[2]; // total, max
      Recorder recorder =
          new Recorder(
              Recorder.defaultStripes(), options.bufferSlots(), options.loadWindow().toNanos());
      WindowAggregator aggregator =
          new WindowAggregator(
              recorder,
              options.maxKeys(),
              options.keyBytes(),
              options.flushInterval().toNanos(),
              options.pairKeys(),
              options.pairTime().toMillis(),
              options.maxPairs(),
              options.keyPrivacy(),
              window -> {
                long start = System.nanoTime();
                if (runNew) {
                  split.accept(window);
                }
                long took = System.nanoTime() - start;
                splitNanos[0] += took;
                splitNanos[1] = Math.max(splitNanos[1], took);
                if (runOld) {
                  oldFlusher.submit(window);
                }
              },
              System::currentTimeMillis);
      long newBefore = commands(newStats).values().stream().mapToLong(Long::longValue).sum();
      long oldBefore = commands(oldStats).values().stream().mapToLong(Long::longValue).sum();
      newFlusher.start();
      oldFlusher.start();
      recorder.activate();
      aggregator.start();

      byte[][] keys = new byte[keyCount][];
      for (int i = 0; i < keyCount; i++) {
        keys[i] = ("item:" + i).getBytes(StandardCharsets.US_ASCII);
      }
      byte[] ttlBytes = Integer.toString(ttlSeconds).getBytes(StandardCharsets.US_ASCII);
      double[] cdf = zipfCdf(keyCount);
      long[] hits = new long[keyCount];
      long[] misses = new long[keyCount];
      long[] writes = new long[keyCount];
      long[] cachedUntil = new long[keyCount];
      Random random = new Random(1);
      List<HourBucket> hours = new ArrayList<>();
      long appCommands = 0;
      long start = System.nanoTime();
      long end = start + Duration.ofSeconds(seconds).toNanos();
      long nextReport = start + Duration.ofSeconds(60).toNanos();
      for (long op = 0; ; op++) {
        long due = start + op * 1_000_000_000L / rate;
        long now = System.nanoTime();
        if (now - end >= 0) {
          break;
        }
        if (due - now > 1_000_000) {
          LockSupport.parkNanos(due - now); // ~100 commands per millisecond: no spinning
        }
        if (op % 100_000 == 0) {
          HourBucket hour = HourBucket.ofEpochMillis(System.currentTimeMillis());
          if (!hours.contains(hour)) {
            hours.add(hour);
          }
        }
        int k = sample(cdf, random.nextDouble());
        long nowSecond = (now - start) / 1_000_000_000L;
        boolean cached = cachedUntil[k] > nowSecond;
        CallRecord get = CallRecord.begin(GET);
        get.argument(1, keys[k]);
        get.complete(cached ? VALUE : null, null);
        appCommands++;
        if (cached) {
          hits[k]++;
        } else {
          misses[k]++;
          CallRecord set = CallRecord.begin(SET);
          set.argument(1, keys[k]);
          set.argument(2, VALUE);
          set.argument(3, EX);
          set.argument(4, ttlBytes);
          set.complete("OK", null);
          appCommands++;
          writes[k]++;
          cachedUntil[k] = nowSecond + ttlSeconds;
        }
        if (now - nextReport >= 0) {
          nextReport += Duration.ofSeconds(60).toNanos();
          System.out.printf(
              Locale.ROOT,
              "[tail] %3d s: %d app commands, stats commands so far: new %d, old %d; tail keys %d%n",
              (now - start) / 1_000_000_000L,
              appCommands,
              sum(commands(newStats)) - newBefore,
              sum(commands(oldStats)) - oldBefore,
              split.tailKeys());
        }
      }
      double achieved =
          (double) (hits.length == 0 ? 0 : appCommands) * 1e9 / (System.nanoTime() - start);
      aggregator.stop(10_000);
      recorder.deactivate();
      split.drainTail();
      newFlusher.flushOnExit(Duration.ofSeconds(60));
      oldFlusher.flushOnExit(Duration.ofSeconds(60));
      HourBucket last = HourBucket.ofEpochMillis(System.currentTimeMillis());
      if (!hours.contains(last)) {
        hours.add(last);
      }

      Map<String, Long> newCommands = commands(newStats);
      Map<String, Long> oldCommands = commands(oldStats);
      long newSent = sum(newCommands) - newBefore;
      long oldSent = sum(oldCommands) - oldBefore;
      System.out.printf(
          Locale.ROOT,
          "[tail] app commands %d (%.0f/s achieved), recorded events %d, lost %d%n",
          appCommands,
          achieved,
          aggregator.recordedEvents(),
          recorder.lostEvents());
      System.out.printf(
          Locale.ROOT,
          "[tail] split on the aggregator thread: %.1f ms per window on average, %.1f ms max;"
              + " tails written %d%n",
          splitNanos[0] / 1e6 / Math.max(1, seconds / options.flushInterval().toSeconds()),
          splitNanos[1] / 1e6,
          split.tailsWritten());
      report("new (hotkeys + tail)", newSent, appCommands, newCommands);
      report("old (every key, every window)", oldSent, appCommands, oldCommands);

      Integer[] order = new Integer[keyCount];
      for (int i = 0; i < keyCount; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order,
          (x, y) -> Long.compare(weight(hits, misses, writes, y), weight(hits, misses, writes, x)));
      int[] topKeys = new int[Math.min(top, keyCount)];
      for (int i = 0; i < topKeys.length; i++) {
        topKeys[i] = order[i];
      }
      System.out.printf(
          Locale.ROOT,
          "[tail] top %d keys: the last has %d hits, %d misses, %d writes in the run%n",
          topKeys.length,
          hits[topKeys[topKeys.length - 1]],
          misses[topKeys[topKeys.length - 1]],
          writes[topKeys[topKeys.length - 1]]);
      compare("new", newStats, schema, hours, keys, topKeys, hits, misses, writes);
      compare("old", oldStats, schema, hours, keys, topKeys, hits, misses, writes);
    }
  }

  private static long weight(long[] h, long[] m, long[] w, int k) {
    return h[k] + m[k] + w[k];
  }

  private static AgentOptions options(String agentArgs) {
    try {
      return AgentOptions.parse(
          "app=" + APP + (agentArgs.isBlank() ? "" : "," + agentArgs),
          property -> null,
          variable -> null,
          APP);
    } catch (InvalidOptionException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static StatsFlusher flusher(AgentOptions options, KeySchema schema, RedisServer server) {
    return new StatsFlusher(
        schema,
        options.retention(),
        RedisEndpoint.parse(server.uri()),
        options.timeout(),
        Math.max(options.backlogEntries(), options.maxKeys()),
        options.keyBytes(),
        options.flushInterval(),
        options.hourKeys(),
        options.hourPairs());
  }

  /** P(rank r) ∝ 1/r, r = 1..n. */
  private static double[] zipfCdf(int n) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int r = 1; r <= n; r++) {
      sum += 1.0 / r;
      cdf[r - 1] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  private static int sample(double[] cdf, double u) {
    int i = Arrays.binarySearch(cdf, u);
    return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
  }

  /** calls per command from {@code INFO commandstats} (the INFO call itself included). */
  static Map<String, Long> commands(RedisServer server) {
    Map<String, Long> calls = new TreeMap<>();
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      for (String line : jedis.info("commandstats").split("\r?\n")) {
        if (line.startsWith("cmdstat_")) {
          String name = line.substring(8, line.indexOf(':'));
          int at = line.indexOf("calls=") + 6;
          calls.put(name, Long.parseLong(line.substring(at, line.indexOf(',', at))));
        }
      }
    }
    return calls;
  }

  private static long sum(Map<String, Long> calls) {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void report(String path, long sent, long app, Map<String, Long> calls) {
    StringBuilder by = new StringBuilder();
    calls.entrySet().stream()
        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .limit(6)
        .forEach(e -> by.append(' ').append(e.getKey()).append('=').append(e.getValue()));
    System.out.printf(
        Locale.ROOT,
        "[tail] %-30s stats commands %d = %.3f per 100 application commands (%s )%n",
        path,
        sent,
        100.0 * sent / app,
        by.toString().trim());
  }

  private static void compare(
      String path,
      RedisServer server,
      KeySchema schema,
      List<HourBucket> hours,
      byte[][] keys,
      int[] topKeys,
      long[] hits,
      long[] misses,
      long[] writes) {
    long[][] got = new long[3][topKeys.length];
    HourlySet[] sets = {HourlySet.HITS, HourlySet.MISSES, HourlySet.WRITES};
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      for (HourBucket hour : hours) {
        for (int s = 0; s < 3; s++) {
          byte[] set = schema.hourly(hour, sets[s]).getBytes(StandardCharsets.UTF_8);
          Pipeline pipeline = jedis.pipelined();
          List<Response<Double>> scores = new ArrayList<>(topKeys.length);
          for (int key : topKeys) {
            scores.add(pipeline.zscore(set, keys[key]));
          }
          pipeline.sync();
          for (int i = 0; i < topKeys.length; i++) {
            Double score = scores.get(i).get();
            got[s][i] += score == null ? 0 : score.longValue();
          }
        }
      }
    }
    int exact = 0;
    long missing = 0;
    long worst = 0;
    String example = "";
    for (int i = 0; i < topKeys.length; i++) {
      int k = topKeys[i];
      long deficit = (hits[k] - got[0][i]) + (misses[k] - got[1][i]) + (writes[k] - got[2][i]);
      boolean same = got[0][i] == hits[k] && got[1][i] == misses[k] && got[2][i] == writes[k];
      if (same) {
        exact++;
      } else {
        missing += deficit;
        if (Math.abs(deficit) > worst) {
          worst = Math.abs(deficit);
          example =
              String.format(
                  Locale.ROOT,
                  " (rank %d %s: true %d/%d/%d, in Redis %d/%d/%d)",
                  i + 1,
                  new String(keys[k], StandardCharsets.US_ASCII),
                  hits[k],
                  misses[k],
                  writes[k],
                  got[0][i],
                  got[1][i],
                  got[2][i]);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "[tail] %s: top %d keys exact in Redis: %d of %d%s%s%n",
        path,
        topKeys.length,
        exact,
        topKeys.length,
        exact == topKeys.length ? " — EXACT" : "; events missing " + missing + ", worst " + worst,
        example);
  }
}
