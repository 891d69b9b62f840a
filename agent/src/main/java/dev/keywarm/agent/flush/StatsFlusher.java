package dev.keywarm.agent.flush;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.recording.EventKind;
import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RedisError;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.MetaField;
import dev.keywarm.schema.StatsShards;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The flusher thread: writes sealed windows to the stats Redis as pipelined {@code ZINCRBY}s, in
 * batches of {@value #ENTRIES_PER_BATCH} keys, on its own thread so that neither the application
 * nor the aggregator ever waits for the network.
 *
 * <p>When the stats Redis is unreachable, windows wait in a {@link FlushBacklog} bounded by {@code
 * backlogEntries} keys and {@code backlogBytes} of heap (windows of one hour merge; beyond the
 * bounds the coldest keys are cut and counted as unwritten in the hour's meta), retries back off
 * from 1 s to 30 s, and the outage is logged once when it starts and once when it ends — never once
 * per flush. Batches are pipelined {@value #BATCHES_IN_FLIGHT} deep, so a window is written at the
 * speed of the link, not of one round trip per batch. Delivery is at-least-once per batch: a
 * connection lost after Redis applied part of a batch, but before its replies arrived, makes that
 * one batch count twice. The alternative, one MULTI per window, would block the (often shared)
 * Redis for the whole window.
 *
 * <p><b>Shards.</b> Each hour's per-key sets are spread over {@code shards} hash tags ({@link
 * StatsShards}; {@code auto}: {@value #CLUSTER_SHARDS} on a Redis Cluster, one on a standalone
 * Redis), decided on the first connection and fixed for the JVM's life, so a key always counts in
 * the same shard. A window is split by shard ({@link ShardedWindow}); each part goes to the master
 * that owns its shard's slot ({@link StatsNodes}, from {@code CLUSTER SLOTS}), the batches of all
 * nodes in one pipeline window; the window's totals go to the hour's own meta under the app's tag,
 * which names the shard count before any part is written ({@link KeySchema#shardsField}), so a
 * reader finds every shard. A {@code MOVED} (a slot migrated, a failover) reads the slot map again
 * and resumes after the last confirmed batch. Expiries are set once per set, hour and connection
 * (again every {@value #EXPIRY_REFRESH_MINUTES} minutes), not with every window.
 *
 * <p>After each window the hour's sets it wrote to are trimmed to their caps ({@code hourkeys},
 * {@code hourpairs}) in the stats Redis itself, coldest members first and counted in the hour's
 * meta: {@link HourlySetTrim}.
 */
public final class StatsFlusher implements Runnable {

  static final int ENTRIES_PER_BATCH = 256;
  static final int BATCHES_IN_FLIGHT = 8;

  /** Of the shutdown budget, kept back to write what could not be written as counts. */
  private static final long EXIT_RESERVE_MILLIS = 250;

  /** Of that, the last part: for the counts alone, after the replies of sent batches are read. */
  private static final long EXIT_REPORT_MILLIS = 100;

  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final int MAX_REDIRECTS = 5;

  private final KeySchema schema;
  private final Duration retention;
  private final RedisEndpoint configured;
  private final int timeoutMillis;
  private final int backlogEntries;
  private final long flushIntervalNanos;

  private final FlushBacklog backlog;
  private final HourlySetTrim trim;
  private HourBucket trimLoggedHour;
  private final String trimCaps;
  private final ReentrantLock flushing = new ReentrantLock();
  private volatile WindowSnapshot inFlight;
  private int confirmedEntries;

  private final StatsNodes nodes = new StatsNodes("keywarm-agent");
  private final int configuredShards;

  /** The shards of every hour this agent writes: decided on the first connection, then fixed. */
  private StatsShards layout;

  /** The window in flight grouped by shard, and how far it is confirmed: part, item in it. */
  private ShardedWindow sharded;

  private int confirmedPart;

  /** Items of the window in flight confirmed, over all its parts (read by JMX). */
  private volatile int confirmedInWindow;

  /** Names given an expiry (EXPIREAT) on the connections open now, within the last minutes. */
  private final Set<String> expiring = new HashSet<>();

  private long expiringSinceNanos = System.nanoTime();
  private long backoffMillis;
  private long retryAtNanos;
  private long outageStartedMillis;
  private boolean waitingForTargetLogged;
  private final Set<String> loggedErrors = new HashSet<>();

  private final AtomicLong flushedEntries = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong flushErrors = new AtomicLong();
  private final AtomicLong trimmedMembers = new AtomicLong();
  private final AtomicLong exitUnwrittenEvents = new AtomicLong();
  private final AtomicLong oldestPendingMillis = new AtomicLong();
  private volatile boolean stopping;

  /** Set when the JVM exits: every write, the one in progress included, ends by then. */
  private volatile long exitDeadlineNanos;

  /** The exit deadline less the time kept back to count what is left. */
  private volatile long exitWriteDeadlineNanos;

  private volatile long exitReportNanos;

  private volatile boolean exiting;
  private volatile long exitStartedNanos;
  private volatile long exitStartEntries;
  private volatile Thread thread;

  public StatsFlusher(
      KeySchema schema,
      Duration retention,
      RedisEndpoint configured,
      Duration timeout,
      int backlogEntries,
      long backlogBytes,
      Duration flushInterval,
      int hourKeys,
      int hourPairs,
      int shards) {
    this.configuredShards = shards;
    this.schema = schema;
    this.retention = retention;
    this.configured = configured;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    this.backlogEntries = backlogEntries;
    this.backlog = new FlushBacklog(backlogEntries, backlogBytes);
    this.flushIntervalNanos = flushInterval.toNanos();
    this.trim = new HourlySetTrim(schema, hourKeys, hourPairs);
    this.trimCaps = "hourkeys=" + hourKeys + ", hourpairs=" + hourPairs;
  }

  /** One shard on a standalone Redis, 24 on a cluster ({@code shards=auto}). */
  public StatsFlusher(
      KeySchema schema,
      Duration retention,
      RedisEndpoint configured,
      Duration timeout,
      int backlogEntries,
      long backlogBytes,
      Duration flushInterval,
      int hourKeys,
      int hourPairs) {
    this(
        schema,
        retention,
        configured,
        timeout,
        backlogEntries,
        backlogBytes,
        flushInterval,
        hourKeys,
        hourPairs,
        0);
  }

  /** Shards on a Redis Cluster when {@code shards=auto}: even over 2, 3, 4, 6, 8 or 12 masters. */
  static final int CLUSTER_SHARDS = 24;

  public void start() {
    Thread flusher = new Thread(this, "keywarm-flusher");
    flusher.setDaemon(true);
    thread = flusher;
    flusher.start();
  }

  /** Accepts a sealed window from the aggregator; never blocks on the network. */
  public void submit(WindowSnapshot snapshot) {
    oldestPendingMillis.compareAndSet(0, System.currentTimeMillis());
    backlog.add(snapshot);
    Thread flusher = thread;
    if (flusher != null) {
      LockSupport.unpark(flusher);
    }
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        flushAvailable(Long.MAX_VALUE, false);
      } catch (Throwable t) {
        AgentLog.warn("flusher: unexpected internal error, continuing: " + t);
      }
      if (!stopping) {
        LockSupport.parkNanos(flushIntervalNanos);
      }
    }
    if (exiting) {
      finalFlush();
    }
  }

  /**
   * The final flush when the JVM exits: stops the thread and writes what is left at pipelined speed
   * until {@code budget} is nearly used up; then, in the time kept back, writes what it could not
   * write as unwritten counts in each hour's meta, so the report sees the loss. Logs what it wrote
   * and, precisely, what it could not.
   */
  public void flushOnExit(Duration budget) {
    long now = System.nanoTime();
    exitDeadlineNanos = now + budget.toNanos();
    long keptBack =
        Math.min(TimeUnit.MILLISECONDS.toNanos(EXIT_RESERVE_MILLIS), budget.toNanos() / 4);
    exitWriteDeadlineNanos = exitDeadlineNanos - keptBack;
    // of the time kept back, the end is for the counts alone; the rest reads the last replies
    exitReportNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(EXIT_REPORT_MILLIS), keptBack / 2);
    exitStartedNanos = now;
    exitStartEntries = flushedEntries.get();
    exiting = true;
    stopping = true;
    Thread flusher = thread;
    if (flusher == null) {
      finalFlush();
      return;
    }
    // the flusher thread writes the rest itself: a write it has in progress goes on, bounded by the
    // exit deadline, instead of holding a lock that the exit would wait for
    LockSupport.unpark(flusher);
    try {
      flusher.join(
          Math.max(1, TimeUnit.NANOSECONDS.toMillis(exitDeadlineNanos - System.nanoTime()) + 100));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (flusher.isAlive()) {
      AgentLog.warn(
          "final flush: the stats Redis did not answer within the budget; "
              + pendingEntries()
              + " key entries not written, nor counted in the stats Redis");
    }
  }

  private void finalFlush() {
    long deadline = exitDeadlineNanos;
    flushAvailable(exitWriteDeadlineNanos, true);
    // counted from the start of the exit: a write in progress then is part of the final flush
    long written = flushedEntries.get() - exitStartEntries;
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exitStartedNanos));
    flushing.lock();
    try {
      reportUnwritten(deadline, written, millis);
    } finally {
      flushing.unlock();
      closeConnection();
    }
  }

  /** What is still waiting becomes unwritten counts, written to each hour's meta if time allows. */
  private void reportUnwritten(long deadlineNanos, long written, long millis) {
    List<WindowSnapshot> left = new ArrayList<>();
    long before = 0; // unwritten already counted when the backlog cut these windows
    WindowSnapshot partial = inFlight;
    if (partial != null) {
      left.add(
          sharded != null
              ? sharded.unwrittenRemainder(confirmedPart, confirmedEntries)
              : partial.unwrittenRemainder(0));
      before += partial.totals().unwrittenReads() + partial.totals().unwrittenWrites();
      inFlight = null;
      sharded = null;
    }
    for (WindowSnapshot window : backlog.drainAll()) {
      left.add(window.unwrittenRemainder(0));
      before += window.totals().unwrittenReads() + window.totals().unwrittenWrites();
    }
    if (left.isEmpty()) {
      AgentLog.debug(
          "final flush: "
              + written
              + " key entries written in "
              + millis
              + " ms ("
              + written * 1000 / millis
              + " entries/s)");
      return;
    }
    long reads = 0;
    long writes = 0;
    for (WindowSnapshot window : left) {
      reads += window.totals().unwrittenReads();
      writes += window.totals().unwrittenWrites();
    }
    exitUnwrittenEvents.addAndGet(reads + writes - before);
    String counted;
    try {
      RedisEndpoint target = target();
      if (target == null) {
        throw new IOException("no stats Redis known");
      }
      RespConnection open = baseConnection(target, timeoutFor(deadlineNanos));
      int commands = 0;
      for (WindowSnapshot window : left) {
        commands += sendHourTotals(open, window);
      }
      readReplies(open, commands);
      counted = "counted as unwritten in the hours' meta";
    } catch (IOException e) {
      counted = "not even counted in the stats Redis (" + e.getMessage() + ")";
    }
    AgentLog.warn(
        "final flush incomplete: wrote "
            + written
            + " key entries in "
            + millis
            + " ms, then the shutdown budget ran out; "
            + reads
            + " reads and "
            + writes
            + " writes not written, "
            + counted);
  }

  private void flushAvailable(long deadlineNanos, boolean ignoreBackoff) {
    flushing.lock();
    try {
      while (true) {
        if (inFlight == null) {
          inFlight = backlog.poll();
          sharded = null;
          confirmedPart = 0;
          confirmedEntries = 0;
          confirmedInWindow = 0;
        }
        WindowSnapshot snapshot = inFlight;
        if (snapshot == null) {
          oldestPendingMillis.set(0);
          return;
        }
        if (!ignoreBackoff && System.nanoTime() - retryAtNanos < 0) {
          return;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
          return;
        }
        RedisEndpoint target = target();
        if (target == null) {
          if (!waitingForTargetLogged) {
            waitingForTargetLogged = true;
            AgentLog.info(
                "holding counters until the application connects to Redis "
                    + "(or set redis=redis://host:port)");
          }
          return;
        }
        try {
          write(snapshot, target, deadlineNanos);
          inFlight = null;
          sharded = null;
          oldestPendingMillis.set(backlog.isEmpty() ? 0 : System.currentTimeMillis());
          flushes.incrementAndGet();
          recovered();
        } catch (BudgetUsedUp e) {
          closeConnection(); // the counts of what is left go on a fresh connection
          return; // the exit counts what is left
        } catch (IOException e) {
          failed(target, e);
          return;
        }
      }
    } finally {
      flushing.unlock();
    }
  }

  private RedisEndpoint target() {
    return configured != null ? configured : StatsTarget.discovered();
  }

  /**
   * Writes the window: each shard's part to the node that owns the shard, pipelined {@value
   * #BATCHES_IN_FLIGHT} batches deep over all nodes together, then the window's totals to the
   * hour's meta, then each shard's trim. A {@code MOVED} (a slot migrated) reads the slot map again
   * and resumes after the last confirmed batch.
   */
  private void write(WindowSnapshot snapshot, RedisEndpoint target, long deadlineNanos)
      throws IOException {
    int redirects = 0;
    while (true) {
      try {
        decideLayout(target, timeoutFor(deadlineNanos));
        if (sharded == null) {
          sharded = new ShardedWindow(snapshot, schema, layout);
        }
        RespConnection base = baseConnection(target, timeoutFor(deadlineNanos));
        markHour(base, snapshot.hour());
        writeParts(deadlineNanos);
        base = baseConnection(target, timeoutFor(deadlineNanos));
        readReplies(base, sendHourTotals(base, snapshot));
        trimHour(snapshot);
        return;
      } catch (Redirect redirect) {
        if (++redirects > MAX_REDIRECTS) {
          throw new IOException("too many MOVED redirections, last to " + redirect.endpoint);
        }
        nodes.moved(redirect.slot, redirect.endpoint, timeoutFor(deadlineNanos));
      }
    }
  }

  /**
   * Names this agent's shard count in the hour's meta before anything is written to its shards, so
   * a reader finds every shard that holds data of the hour even if the window's totals never
   * arrive; once per hour and connection.
   */
  private void markHour(RespConnection base, HourBucket hour) throws IOException {
    String meta = schema.meta(hour);
    if (!expiring.add(meta)) {
      return;
    }
    try {
      base.send("HINCRBY", meta, KeySchema.shardsField(layout.count()), 1);
      base.send("EXPIREAT", meta, KeySchema.expireAtEpochSecond(hour, retention));
      base.flush();
      readReplies(base, 2);
    } catch (IOException e) {
      expiring.remove(meta);
      throw e;
    }
  }

  /** The shard count, once: as configured, or by what the stats Redis is ({@code auto}). */
  private void decideLayout(RedisEndpoint target, int timeout) throws IOException {
    dev.keywarm.redis.ClusterNodes map = nodes.discover(target, timeout);
    if (layout != null) {
      return;
    }
    int count = configuredShards > 0 ? configuredShards : map.isCluster() ? CLUSTER_SHARDS : 1;
    layout = schema.shards(count);
    if (map.isCluster() || count > 1) {
      AgentLog.info(
          "stats spread over "
              + count
              + (count == 1 ? " shard" : " shards")
              + (map.isCluster() ? " on " + map.masters().size() + " cluster masters" : "")
              + (nodes.mapError() != null
                  ? " (slot map unreadable: " + nodes.mapError() + "; following MOVED)"
                  : ""));
    }
  }

  private void writeParts(long deadlineNanos) throws IOException {
    ArrayDeque<Batch> batches = new ArrayDeque<>(); // sent, not yet read
    int sendPart = confirmedPart;
    int sent = confirmedEntries;
    while (confirmedPart < sharded.parts()) {
      boolean sending = true;
      if (exiting) {
        // past the write deadline nothing more is sent, but the replies of what was sent are
        // still read (until shortly before the exit): every entry is then either confirmed or
        // never sent, and the unwritten count is exact
        long now = System.nanoTime();
        sending = now - exitWriteDeadlineNanos < 0;
        if (!sending && batches.isEmpty()) {
          throw new BudgetUsedUp();
        }
      }
      while (sending && batches.size() < BATCHES_IN_FLIGHT && sendPart < sharded.parts()) {
        int items = sharded.items(sendPart);
        if (sent >= items) {
          sendPart++;
          sent = 0;
          continue;
        }
        KeySchema.Shard shard = sharded.shard(sendPart);
        int timeout;
        try {
          timeout = timeoutFor(deadlineNanos);
        } catch (BudgetUsedUp e) {
          if (batches.isEmpty()) {
            throw e;
          }
          break; // never leave replies unread on a connection: read what was sent, then stop
        }
        RespConnection out = nodes.forSlot(shard.slot(), timeout);
        int end = Math.min(items, sent + ENTRIES_PER_BATCH);
        int commands = sendEntries(out, sharded.part(sendPart), shard, sent, end);
        if (end == items) {
          commands += sendExpiries(out, sharded.part(sendPart), shard);
        }
        out.flush();
        batches.addLast(new Batch(out, sendPart, end, commands));
        sent = end;
      }
      Batch batch = batches.pollFirst();
      if (exiting) {
        long left =
            TimeUnit.NANOSECONDS.toMillis(exitDeadlineNanos - exitReportNanos - System.nanoTime());
        batch.connection.setTimeout((int) Math.max(1, Math.min(timeoutMillis, left)));
      }
      readReplies(batch.connection, batch.commands);
      if (batch.part != confirmedPart) {
        confirmedPart = batch.part; // the parts before were confirmed to their end
        confirmedEntries = 0;
      }
      flushedEntries.addAndGet(batch.end - confirmedEntries);
      confirmedInWindow += batch.end - confirmedEntries;
      confirmedEntries = batch.end;
      if (confirmedEntries == sharded.items(confirmedPart)) {
        confirmedPart++;
        confirmedEntries = 0;
      }
    }
  }

  /** A batch sent and not yet read: on which connection, up to which item of which part. */
  private record Batch(RespConnection connection, int part, int end, int commands) {}

  /** The connection to the node that owns the hour's own keys (meta, ttlp: the app's tag). */
  private RespConnection baseConnection(RedisEndpoint target, int timeout) throws IOException {
    if (layout == null) {
      nodes.discover(target, timeout);
    }
    return nodes.forSlot(
        dev.keywarm.schema.HashSlot.of(schema.meta(HourBucket.ofEpochMillis(0))), timeout);
  }

  /** The socket timeout for a call that must end by {@code deadlineNanos}. */
  private int timeoutFor(long deadlineNanos) throws IOException {
    if (exiting && deadlineNanos == Long.MAX_VALUE) {
      deadlineNanos = exitWriteDeadlineNanos; // a write begun before the exit ends with it
    }
    int timeout = timeoutMillis;
    if (deadlineNanos != Long.MAX_VALUE) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      if (left <= 0) {
        throw new BudgetUsedUp();
      }
      timeout = (int) Math.min(timeout, left);
    }
    return timeout;
  }

  /**
   * The expiry of the shard's sets the part wrote to, each name once per connection and {@value
   * #EXPIRY_REFRESH_MINUTES} minutes (a stats Redis restarted empty is given them again).
   */
  private int sendExpiries(RespConnection out, WindowSnapshot part, KeySchema.Shard shard) {
    if (System.nanoTime() - expiringSinceNanos > TimeUnit.MINUTES.toNanos(EXPIRY_REFRESH_MINUTES)) {
      expiring.clear();
      expiringSinceNanos = System.nanoTime();
    }
    HourBucket hour = part.hour();
    long expireAt = KeySchema.expireAtEpochSecond(hour, retention);
    int commands = 0;
    // only names the part wrote to: an EXPIREAT on a set not yet made is a no-op, and the name
    // would then be remembered without an expiry
    boolean hits = false;
    boolean misses = false;
    boolean writes = false;
    boolean loads = false;
    boolean ttls = false;
    for (int i = 0; i < part.size(); i++) {
      hits |= part.hits()[i] > 0;
      misses |= part.misses()[i] > 0;
      writes |= part.writes()[i] > 0;
      loads |= part.loads()[i] > 0;
      ttls |= part.ttls()[i] != EventKind.TTL_UNKNOWN;
    }
    if (hits) {
      commands += expire(out, schema.hourly(hour, HourlySet.HITS, shard), expireAt);
    }
    if (misses) {
      commands += expire(out, schema.hourly(hour, HourlySet.MISSES, shard), expireAt);
    }
    if (writes) {
      commands += expire(out, schema.hourly(hour, HourlySet.WRITES, shard), expireAt);
    }
    if (loads) {
      commands += expire(out, schema.hourly(hour, HourlySet.LOAD_MICROS, shard), expireAt);
      commands += expire(out, schema.hourly(hour, HourlySet.LOADS, shard), expireAt);
    }
    if (part.pairs().length > 0) {
      commands += expire(out, schema.pairs(hour, shard), expireAt);
    }
    if (ttls) {
      commands += expire(out, schema.ttls(hour, shard), expireAt);
    }
    return commands;
  }

  private int expire(RespConnection out, String key, long expireAt) {
    if (!expiring.add(key)) {
      return 0;
    }
    out.send("EXPIREAT", key, expireAt);
    return 1;
  }

  static final int EXPIRY_REFRESH_MINUTES = 10;

  private int sendEntries(
      RespConnection out, WindowSnapshot snapshot, KeySchema.Shard shard, int from, int to)
      throws IOException {
    HourBucket hour = snapshot.hour();
    String hits = schema.hourly(hour, HourlySet.HITS, shard);
    String misses = schema.hourly(hour, HourlySet.MISSES, shard);
    String writes = schema.hourly(hour, HourlySet.WRITES, shard);
    String loadMicros = schema.hourly(hour, HourlySet.LOAD_MICROS, shard);
    String loads = schema.hourly(hour, HourlySet.LOADS, shard);
    String pairs = schema.pairs(hour, shard);
    String ttls = schema.ttls(hour, shard);
    int commands = 0;
    for (int i = from; i < to; i++) {
      if (i >= snapshot.size()) {
        int pair = i - snapshot.size();
        commands += increment(out, pairs, snapshot.pairCounts()[pair], snapshot.pairs()[pair]);
        continue;
      }
      byte[] member = snapshot.members()[i];
      commands += increment(out, hits, snapshot.hits()[i], member);
      commands += increment(out, misses, snapshot.misses()[i], member);
      commands += increment(out, writes, snapshot.writes()[i], member);
      if (snapshot.loads()[i] > 0) {
        commands += increment(out, loadMicros, Math.max(1, snapshot.loadNanos()[i] / 1000), member);
        commands += increment(out, loads, snapshot.loads()[i], member);
      }
      long ttl = snapshot.ttls()[i];
      if (ttl != EventKind.TTL_UNKNOWN) { // the latest word on the key's expiry: set, not added
        out.send("ZADD", ttls, ttl == EventKind.TTL_NONE ? "-1" : ttlSeconds(ttl), member);
        commands++;
      }
    }
    return commands;
  }

  /** ms as seconds with ms precision, locale-free: {@code 600}, {@code 0.25}. */
  private static String ttlSeconds(long millis) {
    return millis % 1000 == 0
        ? Long.toString(millis / 1000)
        : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
  }

  private static int increment(RespConnection out, String key, long amount, byte[] member)
      throws IOException {
    if (amount == 0) {
      return 0;
    }
    out.send("ZINCRBY", key, amount, member);
    return 1;
  }

  /**
   * The hour's meta counters, then the expiry of every key of that hour (EXPIREAT needs the key).
   */
  private int sendHourTotals(RespConnection out, WindowSnapshot snapshot) throws IOException {
    HourBucket hour = snapshot.hour();
    String meta = schema.meta(hour);
    WindowTotals totals = snapshot.totals();
    int commands = 0;
    commands += hincr(out, meta, MetaField.DROPPED_HITS, totals.droppedHits());
    commands += hincr(out, meta, MetaField.DROPPED_MISSES, totals.droppedMisses());
    commands += hincr(out, meta, MetaField.DROPPED_WRITES, totals.droppedWrites());
    commands += hincr(out, meta, MetaField.LOST_EVENTS, totals.lostEvents());
    commands += hincr(out, meta, MetaField.LOST_READS, totals.lostReads());
    commands += hincr(out, meta, MetaField.TRUNCATED_KEYS, totals.truncatedKeys());
    commands += hincr(out, meta, MetaField.UNWRITTEN_READS, totals.unwrittenReads());
    commands += hincr(out, meta, MetaField.UNWRITTEN_WRITES, totals.unwrittenWrites());
    commands += hincr(out, meta, MetaField.FLUSHES, 1);
    long expireAt = KeySchema.expireAtEpochSecond(hour, retention);
    Map<String, Long> ttlPatterns = TtlPatternCounts.of(snapshot);
    if (!ttlPatterns.isEmpty()) {
      String histogram = schema.ttlPatterns(hour);
      for (Map.Entry<String, Long> field : ttlPatterns.entrySet()) {
        out.send("HINCRBY", histogram, field.getKey(), field.getValue());
        commands++;
      }
      out.send("EXPIREAT", histogram, expireAt);
      commands++;
    }
    out.send("EXPIREAT", meta, expireAt);
    out.flush();
    return commands + 1;
  }

  private static int hincr(RespConnection out, String meta, MetaField field, long amount)
      throws IOException {
    if (amount == 0) {
      return 0;
    }
    out.send("HINCRBY", meta, field.field(), amount);
    return 1;
  }

  private void readReplies(RespConnection in, int count) throws IOException {
    Redirect redirect = null;
    IOException retry = null;
    for (int i = 0; i < count; i++) {
      // classified without building the reply: a ZINCRBY's new score is never looked at
      if (in.readReply() == RespConnection.Reply.ERROR) {
        RedisError error = in.lastError();
        if (error.isMoved()) {
          redirect = Redirect.of(error, in.endpoint());
        } else if (error.isTransient()) {
          retry = new IOException("stats Redis answered " + error.message());
        } else {
          flushErrors.incrementAndGet();
          String code = error.code();
          if (loggedErrors.add(code)) {
            AgentLog.warn(
                "stats Redis rejected a write ("
                    + error.message()
                    + "); such writes are skipped and counted as flush errors");
          }
        }
      }
    }
    if (redirect != null) {
      throw redirect;
    }
    if (retry != null) {
      throw retry;
    }
  }

  /**
   * Trims the hour's sets the window wrote to, once the window is confirmed: a failure here loses
   * nothing (each script call is atomic and counts what it removed, and the next flush into the
   * hour trims on), so it never makes the window be written again. While the JVM exits, windows
   * still queued are written first (only the last one trims) and no trim call is begun past the
   * write deadline: the rest of the shutdown budget is for counts.
   */
  private void trimHour(WindowSnapshot snapshot) {
    if (exiting && !backlog.isEmpty()) {
      return; // the windows still queued are counts; the last one's trim covers its hour
    }
    long removed = 0;
    try {
      for (int p = 0; p < sharded.parts(); p++) {
        KeySchema.Shard shard = sharded.shard(p);
        RespConnection open = nodes.forSlot(shard.slot(), timeoutFor(Long.MAX_VALUE));
        long cut =
            trim.run(
                open, sharded.part(p), shard, exiting ? exitWriteDeadlineNanos : Long.MAX_VALUE);
        if (cut > 0 && shard.count() > 1) {
          // the shard's own meta (its trimmed counts) was made by the script: it expires too
          open.send(
              "EXPIREAT",
              schema.meta(snapshot.hour(), shard),
              KeySchema.expireAtEpochSecond(snapshot.hour(), retention));
          open.flush();
          readReplies(open, 1);
        }
        removed += cut;
      }
    } catch (IOException e) {
      flushErrors.incrementAndGet();
      closeConnection(); // replies may still be due on it
      if (loggedErrors.add("trim")) {
        AgentLog.warn(
            "trimming the hour's sets failed ("
                + e.getMessage()
                + "); the next flush into the hour trims them");
      }
    } catch (RuntimeException e) {
      // an unexpected reply: the window is written; never let the trim make it count twice
      closeConnection();
      if (loggedErrors.add("trim-bug")) {
        AgentLog.warn("trimming the hour's sets failed: " + e + "; the next flush tries again");
      }
    }
    trimmed(snapshot.hour(), removed);
  }

  /** Counts what the stats Redis trimmed; says so once per hour, the first time it happens. */
  private void trimmed(HourBucket hour, long members) {
    if (members <= 0) {
      return;
    }
    trimmedMembers.addAndGet(members);
    if (!hour.equals(trimLoggedHour)) {
      trimLoggedHour = hour;
      AgentLog.info(
          "hour "
              + hour.format()
              + ": the stats Redis trimmed "
              + members
              + " of the coldest members of the hour's sets to their caps ("
              + trimCaps
              + "); their counts are in the hour's meta (trimmed_*)");
    }
  }

  private void failed(RedisEndpoint target, IOException e) {
    closeConnection();
    flushErrors.incrementAndGet();
    if (outageStartedMillis == 0) {
      outageStartedMillis = System.currentTimeMillis();
      AgentLog.warn(
          "stats Redis "
              + target
              + " unavailable ("
              + e.getMessage()
              + "); counters are kept in memory (up to "
              + backlogEntries
              + " keys) and flushing retries with back-off");
    }
    backoffMillis = backoffMillis == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
  }

  private void recovered() {
    if (outageStartedMillis != 0) {
      long seconds = (System.currentTimeMillis() - outageStartedMillis) / 1000;
      AgentLog.info(
          "stats Redis " + target() + " reachable again after " + seconds + " s; flushing resumed");
    }
    outageStartedMillis = 0;
    backoffMillis = 0;
    retryAtNanos = System.nanoTime();
  }

  private void closeConnection() {
    nodes.closeAll();
    expiring.clear(); // a new connection may find a stats Redis restarted empty: expire again
  }

  public long flushedEntries() {
    return flushedEntries.get();
  }

  public long flushes() {
    return flushes.get();
  }

  public long flushErrors() {
    return flushErrors.get();
  }

  /** Members the stats Redis trimmed from hourly sets after this agent's flushes (since start). */
  public long trimmedMembers() {
    return trimmedMembers.get();
  }

  /**
   * Events counted but never written as key counters: cut from a full backlog, or left when the
   * shutdown budget ran out. Each is in an hour's unwritten meta counters (when Redis took them).
   */
  public long droppedEvents() {
    return backlog.unwrittenEvents() + exitUnwrittenEvents.get();
  }

  /** Key entries waiting to be written: the backlog and what is left of the window in flight. */
  public long pendingEntries() {
    WindowSnapshot partial = inFlight;
    return backlog.entries()
        + (partial == null
            ? 0
            : Math.max(0, partial.size() + partial.pairs().length - confirmedInWindow));
  }

  /** How long the oldest unwritten window has waited, in ms; 0 when everything is written. */
  public long flushLagMillis() {
    long since = oldestPendingMillis.get();
    return since == 0 ? 0 : System.currentTimeMillis() - since;
  }

  /** Where the flusher writes now, printed without secrets. */
  public String targetDescription() {
    RedisEndpoint target = target();
    return target == null ? "(not yet known)" : target.toString();
  }

  /** The exit deadline came: not a failure of the stats Redis. */
  private static final class BudgetUsedUp extends IOException {
    BudgetUsedUp() {
      super("final flush budget used up");
    }
  }

  /** A {@code MOVED slot host:port} reply: the slot map changed (a slot migrated, a failover). */
  private static final class Redirect extends IOException {
    final int slot;
    final RedisEndpoint endpoint;

    private Redirect(int slot, RedisEndpoint endpoint) {
      super("MOVED " + slot + " to " + endpoint);
      this.slot = slot;
      this.endpoint = endpoint;
    }

    static Redirect of(RedisError moved, RedisEndpoint from) {
      String[] parts = moved.message().split(" ");
      return new Redirect(Integer.parseInt(parts[1]), moved.redirectTarget(from));
    }
  }
}
