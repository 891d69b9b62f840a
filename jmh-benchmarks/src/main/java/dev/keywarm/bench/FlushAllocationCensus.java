package dev.keywarm.bench;

import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.testsupport.RedisServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Not a benchmark: what the agent allocates <em>per flush window</em>, by thread, beside what it
 * allocates per call. A steady loop of Jedis {@code GET}s of one key runs over several flush
 * windows; {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} of every thread is read
 * before and after, and the flushes in between are counted in the stats Redis itself (the hour's
 * meta {@code flushes} field, read on keywarm's own unrecorded connection). Three figures, kept
 * apart because they answer different questions:
 *
 * <ul>
 *   <li><b>first use</b>: the application thread's allocation while it connects and makes its first
 *       calls — class loading, and with an agent the hooks' transformation of Jedis classes (run it
 *       without the agent to see which part is whose);
 *   <li><b>steady</b>: the application thread's bytes per call once warm, over windows with flushes
 *       (the hooks record without allocating, so with or without the agent this is Jedis's own);
 *   <li><b>transient</b>: each {@code keywarm-*} thread's bytes per flush window (aggregator seal,
 *       flusher, meters, snapshot, JMX), for a window of one key — what a JMH iteration that holds
 *       a flush shows as extra B/op.
 * </ul>
 *
 * <pre>
 * java -javaagent:agent/target/keywarm.jar=app=bench,flush=1s \
 *      -cp jmh-benchmarks/target/keywarm-benchmarks.jar dev.keywarm.bench.FlushAllocationCensus [windows] [callsPerWindow] [keys]
 * </pre>
 *
 * {@code keys} (1 by default) are read in turn, so a window holds that many keys (and their
 * co-access pairs). {@code callsPerWindow} 0 (the default) calls in a tight loop; a number makes
 * that many calls at the start of each window and then waits, so that with {@code
 * -XX:+UseEpsilonGC} the class histogram diff printed (as in {@link AllocationCensus}, all threads)
 * is mostly keywarm's.
 *
 * <p>What would make it wrong: a thread that ends during the measurement takes its bytes with it
 * (none of keywarm's does in a steady run); an hour turning during the run splits the flush count
 * over two metas (both are read); the first flush into an hour (script loading, new key names)
 * falls inside the measurement only if the hour turns, so the figure is a steady flush.
 */
public final class FlushAllocationCensus {

  private static final String APP = "bench";

  private FlushAllocationCensus() {}

  public static void main(String[] args) throws Exception {
    int windows = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int callsPerWindow = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int keyCount = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    long flushMillis = flushMillis();
    boolean epsilon = epsilon();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    try (RedisServer redis = RedisServer.start();
        RespConnection stats =
            RespConnection.open(RedisEndpoint.parse(redis.uri()), 5_000, "census")) {
      long firstUse = threads.getThreadAllocatedBytes(self);
      Jedis jedis = new Jedis(redis.host(), redis.port());
      jedis.set(JedisCommandBenchmark.HIT_KEY, JedisCommandBenchmark.VALUE);
      String[] keys = new String[keyCount];
      keys[0] = JedisCommandBenchmark.HIT_KEY;
      for (int i = 1; i < keyCount; i++) {
        keys[i] = "census:" + i;
        jedis.set(keys[i], JedisCommandBenchmark.VALUE);
      }
      int next = 0;
      for (int i = 0; i < 1_000; i++) {
        jedis.get(JedisCommandBenchmark.HIT_KEY);
      }
      firstUse = threads.getThreadAllocatedBytes(self) - firstUse;

      // past JIT warm-up, the JMX bean (registered after 5 s) and the first flush of the hour
      // past JIT warm-up, the JMX bean (registered after 5 s) and the first flush of the hour;
      // each of these first flushes is printed as it happens: what the keywarm threads allocated
      // since the one before (the first row holds the agent's start and first window)
      System.out.println("first flushes (keywarm-* threads, since the previous flush):");
      long warmUntil = System.currentTimeMillis() + Math.max(8_000, 4 * flushMillis);
      long seen = flushes(stats);
      Map<String, Long> last = allocatedByThread(threads);
      while (System.currentTimeMillis() < warmUntil) {
        for (int i = 0; i < 500; i++) {
          jedis.get(keys[next++ % keyCount]);
        }
        long now = flushes(stats);
        if (now != seen) {
          Map<String, Long> current = allocatedByThread(threads);
          printKeywarm("  flush " + now, last, current, now - seen);
          seen = now;
          last = current;
        }
      }

      Map<String, long[]> histogramBefore = epsilon ? AllocationCensus.histogram() : null;
      long flushesBefore = flushes(stats);
      Map<String, Long> before = allocatedByThread(threads);
      long started = System.nanoTime();
      long calls = 0;
      long end = System.currentTimeMillis() + windows * flushMillis;
      while (System.currentTimeMillis() < end) {
        if (callsPerWindow == 0) {
          jedis.get(keys[next++ % keyCount]);
          calls++;
          continue;
        }
        for (int i = 0; i < callsPerWindow; i++) {
          jedis.get(keys[next++ % keyCount]);
        }
        calls += callsPerWindow;
        Thread.sleep(Math.max(1, Math.min(flushMillis, end - System.currentTimeMillis())));
      }
      Map<String, Long> after = allocatedByThread(threads);
      long flushes = flushes(stats) - flushesBefore;
      long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
      Map<String, long[]> histogramAfter = epsilon ? AllocationCensus.histogram() : null;
      jedis.close();

      System.out.printf(
          Locale.ROOT,
          "%d calls over %d s, %d flushes of %d key(s) (flush=%d ms)%n",
          calls,
          seconds,
          flushes,
          keyCount,
          flushMillis);
      System.out.printf(
          Locale.ROOT, "first use (connect, SET, 1000 GETs, app thread): %,d B%n", firstUse);
      long app =
          after.get(Thread.currentThread().getName() + "#" + self)
              - before.get(Thread.currentThread().getName() + "#" + self);
      System.out.printf(
          Locale.ROOT, "steady (app thread): %.2f B/call%n", app / (double) Math.max(1, calls));
      long keywarm = 0;
      List<String> rows = new ArrayList<>();
      for (Map.Entry<String, Long> thread : after.entrySet()) {
        long bytes = thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        String name = thread.getKey().substring(0, thread.getKey().lastIndexOf('#'));
        if (name.startsWith("keywarm-")) {
          keywarm += bytes;
          rows.add(
              String.format(
                  Locale.ROOT, "  %-24s %,12d B/flush", name, bytes / Math.max(1, flushes)));
        } else if (bytes > 0 && !thread.getKey().endsWith("#" + self)) {
          rows.add(String.format(Locale.ROOT, "  (%s) %,d B in all", name, bytes));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "transient (keywarm-* threads): %,d B/flush%n",
          keywarm / Math.max(1, flushes));
      rows.forEach(System.out::println);
      if (epsilon) {
        printHistogram(histogramBefore, histogramAfter, Math.max(1, flushes));
      }
    }
  }

  /** One line: each keywarm thread's bytes between two readings, per flush. */
  private static void printKeywarm(
      String label, Map<String, Long> before, Map<String, Long> after, long flushes) {
    StringBuilder line = new StringBuilder(label).append(':');
    long total = 0;
    for (Map.Entry<String, Long> thread : after.entrySet()) {
      String name = thread.getKey().substring(0, thread.getKey().lastIndexOf('#'));
      long bytes = (thread.getValue() - before.getOrDefault(thread.getKey(), 0L)) / flushes;
      if (name.startsWith("keywarm-") && bytes > 0) {
        total += bytes;
        line.append(String.format(Locale.ROOT, " %s %,d", name.substring(8), bytes));
      }
    }
    System.out.println(line.append(String.format(Locale.ROOT, " = %,d B", total)));
  }

  /** Every live thread's allocated bytes, by name and id. */
  private static Map<String, Long> allocatedByThread(com.sun.management.ThreadMXBean threads) {
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      long allocated = threads.getThreadAllocatedBytes(thread.getId());
      if (allocated >= 0) {
        bytes.put(thread.getName() + "#" + thread.getId(), allocated);
      }
    }
    return bytes;
  }

  /** Flushes counted in the stats Redis (this hour and the one before: an hour may turn). */
  private static long flushes(RespConnection stats) throws java.io.IOException {
    KeySchema schema = KeySchema.forApp(APP);
    HourBucket now = HourBucket.ofEpochMillis(System.currentTimeMillis());
    HourBucket last = HourBucket.ofEpochMillis(System.currentTimeMillis() - 3_600_000L);
    long total = 0;
    for (HourBucket hour : new HourBucket[] {last, now}) {
      stats.send("HGET", schema.meta(hour), MetaField.FLUSHES.field());
      stats.flush();
      Object reply = stats.read();
      if (reply instanceof byte[] value) {
        total += Long.parseLong(new String(value, java.nio.charset.StandardCharsets.US_ASCII));
      }
    }
    return total;
  }

  private static void printHistogram(
      Map<String, long[]> before, Map<String, long[]> after, long flushes) {
    long total = 0;
    List<long[]> sizes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : after.entrySet()) {
      long[] was = before.getOrDefault(entry.getKey(), new long[2]);
      long count = entry.getValue()[0] - was[0];
      long bytes = entry.getValue()[1] - was[1];
      total += bytes;
      if (bytes / flushes >= 256) {
        sizes.add(new long[] {bytes, count, names.size()});
        names.add(entry.getKey());
      }
    }
    sizes.sort((a, b) -> Long.compare(b[0], a[0]));
    System.out.printf(
        Locale.ROOT, "class histogram diff, all threads: %,d B/flush%n", total / flushes);
    for (long[] row : sizes) {
      System.out.printf(
          Locale.ROOT,
          "  %,10d B/flush %9.1f objects/flush  %s%n",
          row[0] / flushes,
          row[1] / (double) flushes,
          names.get((int) row[2]));
    }
  }

  /** The agent's flush interval, from its {@code -javaagent} argument (1 s if none is given). */
  private static long flushMillis() {
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      java.util.regex.Matcher flush =
          java.util.regex.Pattern.compile("[=,]flush=(\\d+)(ms|s)").matcher(argument);
      if (argument.startsWith("-javaagent:") && flush.find()) {
        long value = Long.parseLong(flush.group(1));
        return flush.group(2).equals("s") ? value * 1000 : value;
      }
    }
    return 1_000;
  }

  private static boolean epsilon() {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().startsWith("Epsilon")) {
        return true;
      }
    }
    return false;
  }
}
