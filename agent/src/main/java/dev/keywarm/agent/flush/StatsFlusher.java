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

  private RespConnection connection;
  private RedisEndpoint redirectedTo;
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
      int hourPairs) {
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
      left.add(partial.unwrittenRemainder(confirmedEntries));
      before += partial.totals().unwrittenReads() + partial.totals().unwrittenWrites();
      inFlight = null;
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
      RespConnection open = connect(target, deadlineNanos);
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
          confirmedEntries = 0;
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
          oldestPendingMillis.set(backlog.isEmpty() ? 0 : System.currentTimeMillis());
          flushes.incrementAndGet();
          recovered();
        } catch (BudgetUsedUp e) {
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
    if (redirectedTo != null) {
      return redirectedTo;
    }
    return configured != null ? configured : StatsTarget.discovered();
  }

  private void write(WindowSnapshot snapshot, RedisEndpoint target, long deadlineNanos)
      throws IOException {
    int redirects = 0;
    while (true) {
      RespConnection open = connect(target, deadlineNanos);
      try {
        int items = snapshot.size() + snapshot.pairs().length;
        ArrayDeque<int[]> batches = new ArrayDeque<>(); // {end item, commands} sent, not yet read
        int sent = confirmedEntries;
        while (confirmedEntries < items) {
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
            long left = TimeUnit.NANOSECONDS.toMillis(exitDeadlineNanos - exitReportNanos - now);
            open.setTimeout((int) Math.max(1, Math.min(timeoutMillis, left)));
          }
          while (sending && batches.size() < BATCHES_IN_FLIGHT && sent < items) {
            int end = Math.min(items, sent + ENTRIES_PER_BATCH);
            batches.addLast(new int[] {end, sendEntries(open, snapshot, sent, end)});
            sent = end;
          }
          int[] batch = batches.pollFirst();
          readReplies(open, batch[1]);
          flushedEntries.addAndGet(batch[0] - confirmedEntries);
          confirmedEntries = batch[0];
        }
        readReplies(open, sendHourTotals(open, snapshot));
        trimHour(open, snapshot);
        return;
      } catch (Redirect redirect) {
        if (++redirects > MAX_REDIRECTS) {
          throw new IOException("too many MOVED redirections, last to " + redirect.endpoint);
        }
        closeConnection();
        redirectedTo = redirect.endpoint;
        target = redirect.endpoint;
      }
    }
  }

  private RespConnection connect(RedisEndpoint target, long deadlineNanos) throws IOException {
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
    if (connection != null && !connection.endpoint().equals(target)) {
      closeConnection();
    }
    if (connection == null) {
      connection = RespConnection.open(target, timeout, "keywarm-agent");
    } else {
      connection.setTimeout(timeout);
    }
    return connection;
  }

  private int sendEntries(RespConnection out, WindowSnapshot snapshot, int from, int to)
      throws IOException {
    HourBucket hour = snapshot.hour();
    String hits = schema.hourly(hour, HourlySet.HITS);
    String misses = schema.hourly(hour, HourlySet.MISSES);
    String writes = schema.hourly(hour, HourlySet.WRITES);
    String loadMicros = schema.hourly(hour, HourlySet.LOAD_MICROS);
    String loads = schema.hourly(hour, HourlySet.LOADS);
    String pairs = schema.pairs(hour);
    String ttls = schema.ttls(hour);
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
    out.flush();
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
    for (String key : schema.hourlySets(hour)) {
      out.send("EXPIREAT", key, expireAt);
      commands++;
    }
    if (snapshot.pairs().length > 0) {
      out.send("EXPIREAT", schema.pairs(hour), expireAt);
      commands++;
    }
    Map<String, Long> ttlPatterns = TtlPatternCounts.of(snapshot);
    if (!ttlPatterns.isEmpty()) {
      String histogram = schema.ttlPatterns(hour);
      for (Map.Entry<String, Long> field : ttlPatterns.entrySet()) {
        out.send("HINCRBY", histogram, field.getKey(), field.getValue());
        commands++;
      }
      out.send("EXPIREAT", histogram, expireAt);
      out.send("EXPIREAT", schema.ttls(hour), expireAt);
      commands += 2;
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
          redirect = new Redirect(error.redirectTarget(in.endpoint()));
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
  private void trimHour(RespConnection open, WindowSnapshot snapshot) {
    if (exiting && !backlog.isEmpty()) {
      return; // the windows still queued are counts; the last one's trim covers its hour
    }
    try {
      trimmed(
          snapshot.hour(),
          trim.run(open, snapshot, exiting ? exitWriteDeadlineNanos : Long.MAX_VALUE));
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
    redirectedTo = null;
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
    if (connection != null) {
      connection.close();
      connection = null;
    }
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
        + (partial == null ? 0 : Math.max(0, partial.size() - confirmedEntries));
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

  /** A {@code MOVED slot host:port} reply: the app's hash tag lives on another cluster node. */
  private static final class Redirect extends IOException {
    final RedisEndpoint endpoint;

    private Redirect(RedisEndpoint endpoint) {
      super("MOVED to " + endpoint);
      this.endpoint = endpoint;
    }
  }
}
