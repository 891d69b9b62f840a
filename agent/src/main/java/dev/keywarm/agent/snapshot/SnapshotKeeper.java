package dev.keywarm.agent.snapshot;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.recording.InvalidationLog;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.redis.LeaseScripts;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RedisError;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.schema.KeyGlob;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.SnapshotField;
import dev.keywarm.schema.snapshot.SnapshotEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps the hot-set snapshot: the values of the application's hottest keys, read from the cache
 * Redis with {@code DUMP} + {@code PTTL} and stored in the stats Redis under {@link KeySchema}'s
 * {@code snap:*} names, so that after a cold restart the runner can put them back with no loader
 * code (see {@link SnapshotEntry} for what may be restored, and why nothing stale is).
 *
 * <p>Every instance of the app runs one, and every one publishes its {@link InvalidationLog} every
 * {@value #SYNC_MILLIS} ms: writes, deletes and expiry changes (also failed ones) go to {@code
 * snap:inval} stamped with the time they are published (never earlier than the change), and an
 * instance that lost track of some (a full log, a lost event) raises {@code invalid_before}. One
 * instance — the holder of {@code snap:lease} — also keeps the values, in rounds every {@value
 * #ROUND_MILLIS} ms:
 *
 * <ol>
 *   <li>new invalidations since the last round mark stored entries for a re-read (and those of keys
 *       not in the snapshot are removed from {@code snap:inval}, keeping it small);
 *   <li>keys that left the hot set ({@link HotKeys}) are dropped;
 *   <li>keys that entered it, were invalidated, or were read more than {@link
 *       SnapshotEntry#REFRESH_AFTER} ago are read again, hottest first, in pipelined batches, at
 *       most {@code rate} keys per second (auto: 5 % of the application's own reads and writes) —
 *       the cost on the cache Redis is bounded and the application never waits on it;
 *   <li>the byte budget is kept by dropping the coldest entries; values larger than {@code
 *       maxValueBytes} are skipped without being held, and keys without a TTL are skipped unless a
 *       {@code snapshotnottl} glob names them; all three counted in {@code snap:meta}.
 * </ol>
 *
 * A key whose {@code DUMP} finds nothing (expired, evicted, or the cache just restarted) keeps its
 * entry unless it was invalidated: the restore decides by its expiry. Any Redis failure costs a
 * round, never the application: the thread backs off (1 s doubling to 30 s) and resumes; an
 * invalidation batch that could not be published is put back in the log.
 */
public final class SnapshotKeeper implements Runnable {

  static final long SYNC_MILLIS = 100;
  static final long ROUND_MILLIS = 250;
  static final long LEASE_TTL_MILLIS = 10_000;
  static final long RESCORE_MILLIS = 30_000;
  static final int READ_BATCH = 64;

  /** How long a new keeper's ranking settles before entries it does not rank are dropped. */
  static final long RANKING_SETTLE_MILLIS = 30_000;

  /** Invalidations read per round (the rest next round). */
  static final int INVALIDATIONS_PER_ROUND = 20_000;

  /** How far back each round reads invalidations again: a batch delayed this long is still seen. */
  static final long CURSOR_OVERLAP_MILLIS = 2_000;

  /** Keys per second when the auto rate has nothing to follow yet. */
  static final int MIN_RATE = 20;

  static final double AUTO_SHARE = 0.05;

  private static final long MAX_BACKOFF_MILLIS = 30_000;

  /** ZADD GT for a Redis before 6.2: ARGV = score, member, score, member... */
  private static final String RAISE_SCORES =
      "for i = 1, #ARGV, 2 do local c = redis.call('zscore', KEYS[1], ARGV[i + 1]) "
          + "if not c or tonumber(c) < tonumber(ARGV[i]) then "
          + "redis.call('zadd', KEYS[1], ARGV[i], ARGV[i + 1]) end end return 1";

  /**
   * Removes invalidations of keys the snapshot holds no value for — only if that is still so and
   * the score is still the one read (no instance raised it since): KEYS = inval, values; ARGV =
   * score, member...
   */
  private static final String REMOVE_IRRELEVANT =
      "for i = 1, #ARGV, 2 do "
          + "if redis.call('hexists', KEYS[2], ARGV[i + 1]) == 0 then "
          + "local c = redis.call('zscore', KEYS[1], ARGV[i + 1]) "
          + "if c and tonumber(c) <= tonumber(ARGV[i]) then "
          + "redis.call('zrem', KEYS[1], ARGV[i + 1]) end end end return 1";

  private static final String RAISE_INVALID_BEFORE =
      "local v = tonumber(redis.call('hget', KEYS[1], ARGV[1]) or '0') "
          + "if tonumber(ARGV[2]) > v then redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) end "
          + "return 1";

  private final KeySchema schema;
  private final Supplier<RedisEndpoint> cache;
  private final RedisEndpoint stats;
  private final Recorder recorder;
  private final InvalidationLog log;
  private final String instance;
  private final int timeoutMillis;
  private final int maxKeys;
  private final long budgetBytes;
  private final int maxValueBytes;
  private final int fixedRate;
  private final List<KeyGlob> noTtlAllowed;
  private final LongSupplier clock;
  private final HotKeys hot;
  private final ArrayBlockingQueue<WindowSnapshot> windows = new ArrayBlockingQueue<>(2);

  private final HashMap<HotKeys.Key, Entry> entries = new HashMap<>();
  private List<HotKeys.Ranked> top = List.of();
  private HashMap<HotKeys.Key, Integer> rank = new HashMap<>();
  private long rankedVersion = -1;
  private long leaderSinceMillis;
  private boolean coldDropped;
  private RespConnection statsConnection;
  private RespConnection cacheConnection;
  private volatile boolean stopping;
  private volatile boolean leader;
  private Thread thread;
  private long lastUnknown;
  private long invalidationCursor;
  private boolean pageFull;
  private long storedBytes;
  private long lastRoundMillis;
  private long lastRescoreMillis;
  private long rateSampledAtMillis;
  private long rateSampledEvents;
  private double appEventsPerSecond;
  private double tokens;
  private boolean zaddGt = true;
  private long statsBackoffMillis;
  private long statsRetryAtNanos = System.nanoTime();
  private boolean internalErrorLogged;
  private String statsRunId;
  private long cacheRetryAtMillis;
  private long cacheBackoffMillis;
  private boolean sameRedisLogged;
  private boolean clusterLogged;
  private boolean failureLogged;

  // what the keeper did, for JMX and the tests
  private volatile long keysRead;

  /** What the snapshot held at its last meta write (this instance as keeper), for the meters. */
  private volatile long heldEntries;

  private volatile long heldBytes;
  private volatile long bytesRead;
  private volatile long published;

  /** What the keeper knows of one hot key. */
  private static final class Entry {
    long readAt;
    long checkedAt;
    int bytes;
    double weight;
    boolean stored;
    boolean dirty;

    /** The latest invalidation seen: a read must come after it (plus the skew) to be restorable. */
    long invalidatedAt;

    Skip skip = Skip.NONE;
  }

  private enum Skip {
    NONE,
    TOO_LARGE,
    NO_TTL,
    OVER_BUDGET
  }

  public SnapshotKeeper(
      KeySchema schema,
      Supplier<RedisEndpoint> cache,
      RedisEndpoint stats,
      Recorder recorder,
      InvalidationLog log,
      String instance,
      int timeoutMillis,
      int maxKeys,
      long budgetBytes,
      long maxValueBytes,
      int rate,
      List<String> noTtlGlobs,
      LongSupplier clock) {
    this.schema = schema;
    this.cache = cache;
    this.stats = stats;
    this.recorder = recorder;
    this.log = log;
    this.instance = instance;
    this.timeoutMillis = timeoutMillis;
    this.maxKeys = maxKeys;
    this.budgetBytes = budgetBytes;
    this.maxValueBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxValueBytes);
    this.fixedRate = rate;
    this.noTtlAllowed = noTtlGlobs.stream().map(KeyGlob::new).toList();
    this.clock = clock;
    this.hot = new HotKeys(maxKeys);
  }

  /**
   * A window the aggregator sealed; aggregator thread, never blocks (a keeper behind by two windows
   * loses the oldest: its ranking is a little less exact, its invalidations are not affected).
   */
  public void offer(WindowSnapshot window) {
    if (!windows.offer(window)) {
      windows.poll();
      windows.offer(window);
    }
  }

  public synchronized void start() {
    thread = new Thread(this, "keywarm-snapshot");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops after a last publish of invalidations, and gives up the lease; waits at most that. */
  public void stop(long timeoutMillis) throws InterruptedException {
    stopping = true;
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running);
      running.join(Math.max(1, timeoutMillis));
    }
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        drainWindows();
        if (System.nanoTime() - statsRetryAtNanos >= 0) {
          publishSafely();
          roundSafely();
        }
        LockSupport.parkNanos(SYNC_MILLIS * 1_000_000);
      } catch (Throwable t) {
        // an Error (the application's OutOfMemoryError, a bug): this pass is lost, never the
        // thread — an instance that stopped publishing would vouch for writes it never reported
        if (!internalErrorLogged) {
          internalErrorLogged = true;
          AgentLog.warn("snapshot: internal error (" + t + "); retrying");
        }
        closeConnections();
        leader = false;
        LockSupport.parkNanos(1_000_000_000L);
      }
    }
    AgentLog.info(
        "snapshot: read "
            + keysRead
            + " keys ("
            + bytesRead
            + " bytes) from the cache Redis since start; published "
            + published
            + " invalidations");
    try {
      publishInvalidations();
      if (leader && statsConnection != null) {
        LeaseScripts.release(statsConnection, schema.snapshotLease(), instance);
      }
    } catch (IOException | RuntimeException e) {
      // the JVM is exiting: what is unpublished is lost with it, and the lease expires on its own
    }
    closeConnections();
  }

  /**
   * Publishes; a stats Redis that fails backs off (1 s doubling to 30 s) for publishing and rounds
   * alike, since both need it, and is taken over afresh when it answers (it may have lost data).
   */
  private void publishSafely() {
    try {
      publishInvalidations();
      statsBackoffMillis = 0;
      failureLogged = false;
    } catch (IOException | RuntimeException e) {
      statsFailed(e);
    }
  }

  /** At most every round: the snapshot itself. A failure costs the round, never publishing. */
  private void roundSafely() {
    long now = clock.getAsLong();
    if (statsConnection == null && statsBackoffMillis > 0 || now - lastRoundMillis < ROUND_MILLIS) {
      return;
    }
    lastRoundMillis = now;
    try {
      round(now);
    } catch (IOException | RuntimeException e) {
      statsFailed(e);
    }
  }

  private void statsFailed(Exception e) {
    closeConnections();
    leader = false;
    if (!failureLogged) {
      failureLogged = true;
      AgentLog.warn("snapshot: " + e.getMessage() + "; retrying with back-off");
    }
    statsBackoffMillis =
        statsBackoffMillis == 0 ? 1_000 : Math.min(MAX_BACKOFF_MILLIS, 2 * statsBackoffMillis);
    statsRetryAtNanos = System.nanoTime() + statsBackoffMillis * 1_000_000;
  }

  /** One pass, for tests: invalidations out, then the snapshot round. */
  void step() throws IOException {
    drainWindows();
    publishInvalidations();
    long now = clock.getAsLong();
    lastRoundMillis = now;
    round(now);
  }

  private void drainWindows() {
    for (WindowSnapshot window; (window = windows.poll()) != null; ) {
      hot.observe(window, clock.getAsLong());
    }
  }

  // ---- every instance: invalidations ----

  private void publishInvalidations() throws IOException {
    long unknown = recorder.unknownInvalidations();
    long unknownSince = unknown > lastUnknown ? clock.getAsLong() : 0;
    InvalidationLog.Batch batch = log.take();
    if (batch.isEmpty() && unknownSince == 0) {
      return;
    }
    try {
      RespConnection out = stats();
      int sent = 0;
      String key = schema.snapshotInvalidations();
      // Stamped with the time of publishing, never earlier than the change itself: a batch that
      // arrives late (after an outage) is never older than what a reader has already seen, so
      // readers that follow the set by score never miss it.
      long stamp = clock.getAsLong();
      for (int from = 0; from < batch.keys().size(); from += 256) {
        int to = Math.min(batch.keys().size(), from + 256);
        if (zaddGt) {
          out.command(3 + 2 * (to - from));
          out.argument(ZADD);
          out.argument(KeySchema.ascii(key));
          out.argument(GT); // another instance's later time is never lowered
        } else { // before Redis 6.2: the same, in a script
          out.command(4 + 2 * (to - from));
          out.argument(EVAL);
          out.argument(KeySchema.ascii(RAISE_SCORES));
          out.argument(1);
          out.argument(KeySchema.ascii(key));
        }
        for (int i = from; i < to; i++) {
          out.argument(Math.max(stamp, batch.millis()[i]));
          out.argument(batch.keys().get(i));
        }
        sent++;
      }
      if (sent > 0) { // no expiry (an evicting Redis would drop it first): trimmed by age instead
        out.send(
            "ZREMRANGEBYSCORE",
            key,
            "-inf",
            "(" + (stamp - SnapshotEntry.INVALIDATIONS_KEPT.toMillis()));
        sent++;
      }
      long overflow = Math.max(batch.overflowMillis(), unknownSince);
      if (overflow > 0) {
        out.send(
            "EVAL",
            RAISE_INVALID_BEFORE,
            1,
            schema.snapshotMeta(),
            SnapshotField.INVALID_BEFORE.field(),
            overflow);
        sent++;
      }
      out.flush();
      String refused = null;
      for (int i = 0; i < sent; i++) {
        Object reply = out.read();
        if (reply instanceof RedisError error) {
          refused = error.message();
        }
      }
      if (refused != null) {
        if (zaddGt && refused.contains("syntax")) {
          zaddGt = false; // before Redis 6.2: no GT; the script does the same
        }
        throw new IOException("stats Redis refused the invalidations: " + refused);
      }
      lastUnknown = unknown;
      published += batch.keys().size();
    } catch (IOException | RuntimeException e) {
      log.putBack(batch);
      throw e;
    }
  }

  // ---- the lease holder: the snapshot ----

  private void round(long now) throws IOException {
    RedisEndpoint cacheEndpoint = cache.get();
    if (cacheEndpoint == null) {
      return; // the application has not connected yet
    }
    if (cacheEndpoint.sameServer(stats)) {
      if (!sameRedisLogged) {
        sameRedisLogged = true;
        AgentLog.info(
            "no snapshot: the stats Redis is the cache Redis, where it would vanish with the cache"
                + " (set redis= to a Redis of its own)");
      }
      return;
    }
    RespConnection out = stats();
    boolean holds =
        LeaseScripts.acquireOrRenew(out, schema.snapshotLease(), instance, LEASE_TTL_MILLIS);
    if (!holds) {
      if (leader) {
        AgentLog.info("snapshot: another instance keeps it now");
      }
      leader = false;
      entries.clear();
      return;
    }
    if (!leader) {
      leader = true;
      takeOver(out, now);
      rankedVersion = -1;
      leaderSinceMillis = now;
      coldDropped = false;
    }
    readInvalidations(out);
    boolean reranked = hot.version() != rankedVersion;
    if (reranked) { // a new window: sort again
      rankedVersion = hot.version();
      top = hot.top();
      rank = new HashMap<>(top.size() * 2);
      for (int i = 0; i < top.size(); i++) {
        rank.put(top.get(i).key(), i);
      }
    }
    // A keeper that just started knows little of what is hot: the entries it found stay until
    // its own ranking has had time to settle, so a restarted JVM never empties the snapshot.
    if ((reranked || !coldDropped) && now - leaderSinceMillis >= RANKING_SETTLE_MILLIS) {
      coldDropped = true;
      dropCold(out, rank);
    }
    refillTokens(now);
    int coldestStored = -1; // a key left out for the budget comes back once it is hotter
    for (Map.Entry<HotKeys.Key, Entry> e : entries.entrySet()) {
      if (e.getValue().stored) {
        coldestStored = Math.max(coldestStored, rank.getOrDefault(e.getKey(), Integer.MAX_VALUE));
      }
    }
    List<HotKeys.Key> due = new ArrayList<>();
    for (int i = 0; i < top.size() && due.size() < (int) tokens; i++) {
      HotKeys.Ranked ranked = top.get(i);
      Entry entry = entries.computeIfAbsent(ranked.key(), k -> new Entry());
      entry.weight = ranked.weight();
      if (isDue(entry, now) || entry.skip == Skip.OVER_BUDGET && i < coldestStored) {
        due.add(ranked.key());
      }
    }
    if (now >= cacheRetryAtMillis) {
      try {
        for (int from = 0; from < due.size(); from += READ_BATCH) {
          read(due.subList(from, Math.min(due.size(), from + READ_BATCH)), out);
        }
        cacheBackoffMillis = 0;
      } catch (CacheUnavailable e) {
        // the cache is down (or restarting): the snapshot keeps what it has, invalidations go on
        cacheBackoffMillis =
            cacheBackoffMillis == 0 ? 500 : Math.min(5_000, 2 * cacheBackoffMillis);
        cacheRetryAtMillis = now + cacheBackoffMillis;
        if (cacheConnection != null) {
          cacheConnection.close();
          cacheConnection = null;
        }
      }
    }
    tokens -= due.size();
    keepBudget(out, rank);
    if (now - lastRescoreMillis >= RESCORE_MILLIS) {
      lastRescoreMillis = now;
      rescore(out);
    }
    writeMeta(out, now);
  }

  private boolean isDue(Entry entry, long now) {
    if (entry.dirty) { // read again once a read can come after the change by the skew
      return now > entry.invalidatedAt + SnapshotEntry.CLOCK_SKEW_MILLIS;
    }
    long last = Math.max(entry.readAt, entry.checkedAt);
    if (entry.skip != Skip.NONE || !entry.stored) {
      return last == 0 || now - last > SnapshotEntry.REFRESH_AFTER.toMillis();
    }
    return now - entry.readAt > SnapshotEntry.REFRESH_AFTER.toMillis();
  }

  private void refillTokens(long now) {
    double perSecond;
    if (fixedRate > 0) {
      perSecond = fixedRate;
    } else {
      // the application's reads and writes per second, over at least 2 s: windows arrive once per
      // flush interval, so a per-round count would swing between a whole window and nothing
      long events = hot.events();
      if (rateSampledAtMillis == 0) {
        rateSampledAtMillis = now;
        rateSampledEvents = events;
      } else if (now - rateSampledAtMillis >= 2_000) {
        appEventsPerSecond = (events - rateSampledEvents) * 1000.0 / (now - rateSampledAtMillis);
        rateSampledAtMillis = now;
        rateSampledEvents = events;
      }
      // two commands (DUMP, PTTL) per key read
      perSecond = Math.max(MIN_RATE, AUTO_SHARE * appEventsPerSecond / 2);
    }
    double perRound = perSecond * ROUND_MILLIS / 1000.0;
    tokens = Math.min(Math.max(perSecond, READ_BATCH), tokens + perRound);
  }

  /** A new keeper: the stored entries (their read times unknown: due for a re-read). */
  private void takeOver(RespConnection out, long now) throws IOException {
    entries.clear();
    storedBytes = 0;
    out.send("ZRANGE", schema.snapshotRank(), 0, -1);
    out.flush();
    Object members = out.read();
    if (members instanceof List<?> list) {
      for (Object member : list) {
        if (member instanceof byte[] key) {
          Entry entry = new Entry();
          entry.stored = true;
          entries.put(new HotKeys.Key(key), entry);
        }
      }
    }
    invalidationCursor = now - SnapshotEntry.INVALIDATIONS_KEPT.toMillis();
    AgentLog.info(
        "snapshot: this instance keeps it ("
            + entries.size()
            + " entries found, budget "
            + (budgetBytes >> 20)
            + " MB)");
  }

  /**
   * Invalidations since the last round, re-reading the last {@value #CURSOR_OVERLAP_MILLIS} ms so
   * that a batch that took long to arrive is still seen (a full page continues after its last score
   * next round). A stored key's entry is marked for a re-read after its change; invalidations of
   * keys the snapshot holds no value for are removed — by a script that checks, at that moment,
   * that {@code snap:values} has no value for the key and that no instance raised its score since,
   * so neither another keeper's late write nor a new invalidation is ever dropped.
   */
  private void readInvalidations(RespConnection out) throws IOException {
    out.send(
        "ZRANGEBYSCORE",
        schema.snapshotInvalidations(),
        pageFull ? "(" + invalidationCursor : invalidationCursor - CURSOR_OVERLAP_MILLIS,
        "+inf",
        "WITHSCORES",
        "LIMIT",
        0,
        INVALIDATIONS_PER_ROUND);
    out.flush();
    Object reply = out.read();
    if (!(reply instanceof List<?> list)) {
      return;
    }
    pageFull = list.size() / 2 >= INVALIDATIONS_PER_ROUND;
    List<byte[]> irrelevant = new ArrayList<>();
    List<String> scores = new ArrayList<>();
    for (int i = 0; i + 1 < list.size(); i += 2) {
      byte[] key = (byte[]) list.get(i);
      String score =
          new String((byte[]) list.get(i + 1), java.nio.charset.StandardCharsets.US_ASCII);
      long millis = (long) Double.parseDouble(score);
      invalidationCursor = Math.max(invalidationCursor, millis);
      Entry entry = entries.get(new HotKeys.Key(key));
      if (entry != null && millis + SnapshotEntry.CLOCK_SKEW_MILLIS >= entry.readAt) {
        entry.dirty = true;
        entry.invalidatedAt = Math.max(entry.invalidatedAt, millis);
      }
      if (entry == null || !entry.stored) {
        irrelevant.add(key); // not in the snapshot: a later read of it is newer anyway
        scores.add(score);
      }
    }
    if (!irrelevant.isEmpty()) {
      out.command(5 + 2 * irrelevant.size());
      out.argument(EVAL);
      out.argument(KeySchema.ascii(REMOVE_IRRELEVANT));
      out.argument(2);
      out.argument(KeySchema.ascii(schema.snapshotInvalidations()));
      out.argument(KeySchema.ascii(schema.snapshotValues()));
      for (int i = 0; i < irrelevant.size(); i++) {
        out.argument(KeySchema.ascii(scores.get(i)));
        out.argument(irrelevant.get(i));
      }
      out.flush();
      readAll(out, 1);
    }
  }

  /** Entries no longer hot leave the snapshot. */
  private void dropCold(RespConnection out, Map<HotKeys.Key, Integer> rank) throws IOException {
    List<byte[]> gone = new ArrayList<>();
    for (Iterator<Map.Entry<HotKeys.Key, Entry>> it = entries.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<HotKeys.Key, Entry> e = it.next();
      if (!rank.containsKey(e.getKey())) {
        if (e.getValue().stored) {
          gone.add(e.getKey().bytes);
          storedBytes -= e.getValue().bytes;
        }
        it.remove();
      }
    }
    remove(out, gone);
  }

  private void remove(RespConnection out, List<byte[]> keys) throws IOException {
    int sent = 0;
    for (int from = 0; from < keys.size(); from += 512) {
      List<byte[]> part = keys.subList(from, Math.min(keys.size(), from + 512));
      out.command(2 + part.size());
      out.argument(HDEL);
      out.argument(KeySchema.ascii(schema.snapshotValues()));
      part.forEach(out::argument);
      out.command(2 + part.size());
      out.argument(ZREM);
      out.argument(KeySchema.ascii(schema.snapshotRank()));
      part.forEach(out::argument);
      sent += 2;
    }
    if (sent > 0) {
      out.flush();
      readAll(out, sent);
    }
  }

  /**
   * {@code DUMP} + {@code PTTL} for a batch, pipelined on the cache Redis; each value goes to the
   * stats Redis as soon as it is read, so at most one value is held at a time.
   */
  private void read(List<HotKeys.Key> keys, RespConnection out) throws IOException {
    RespConnection in;
    long readAt;
    try {
      in = cacheConnection();
      readAt = clock.getAsLong(); // before the DUMPs: a write after them is always later
      for (HotKeys.Key key : keys) {
        in.command(2);
        in.argument(DUMP);
        in.argument(key.bytes);
        in.command(2);
        in.argument(PTTL);
        in.argument(key.bytes);
      }
      in.flush();
    } catch (IOException e) {
      throw new CacheUnavailable(e);
    }
    int sent = 0;
    List<byte[]> removed = new ArrayList<>();
    for (HotKeys.Key key : keys) {
      byte[] payload;
      long pttl;
      try {
        payload = in.readBulkAtMost(maxValueBytes);
        pttl = in.readLong(-2);
      } catch (IOException e) {
        if (sent > 0) { // what was read before the cache went away is kept
          out.flush();
          readAll(out, sent);
        }
        remove(out, removed);
        throw new CacheUnavailable(e);
      }
      Entry entry = entries.get(key);
      entry.checkedAt = readAt;
      keysRead++;
      if (payload == RespConnection.ERRORED) {
        RedisError error = in.lastError();
        if (error.kind() != RedisError.Kind.MOVED && error.kind() != RedisError.Kind.ASK) {
          // LOADING right after a restart, NOPERM: the cache's trouble, not the stats Redis's
          if (sent > 0) { // what was read before is kept
            out.flush();
            readAll(out, sent);
          }
          remove(out, removed);
          throw new CacheUnavailable(
              new IOException("DUMP refused by the cache Redis: " + error.message()));
        }
        if (!clusterLogged) { // the key lives on another node: not followed (yet)
          clusterLogged = true;
          AgentLog.warn(
              "snapshot: the cache Redis is a Redis Cluster; only keys on "
                  + in.endpoint()
                  + " are kept (reads are not routed by slot)");
        }
        entry.dirty = false;
        continue;
      }
      Skip skip = Skip.NONE;
      if (payload == null || pttl == -2) {
        if (entry.stored && entry.dirty) {
          removed.add(key.bytes); // written or deleted since, and gone now: nothing to restore
          unstore(entry);
        }
        entry.dirty = false;
        continue;
      } else if (payload == RespConnection.OVERSIZED) {
        skip = Skip.TOO_LARGE;
      } else if (pttl == -1 && !noTtlAllowed(key.bytes)) {
        skip = Skip.NO_TTL;
      }
      // read too soon after its change (within the skew): not restorable yet, read it again
      entry.dirty = readAt <= entry.invalidatedAt + SnapshotEntry.CLOCK_SKEW_MILLIS;
      if (skip != Skip.NONE) {
        entry.skip = skip;
        if (entry.stored) {
          removed.add(key.bytes);
          unstore(entry);
        }
        continue;
      }
      bytesRead += payload.length;
      SnapshotEntry value =
          new SnapshotEntry(readAt, SnapshotEntry.expiryOf(readAt, pttl), payload);
      out.command(4);
      out.argument(HSET);
      out.argument(KeySchema.ascii(schema.snapshotValues()));
      out.argument(key.bytes);
      out.argument(value.encode());
      out.command(4);
      out.argument(ZADD);
      out.argument(KeySchema.ascii(schema.snapshotRank()));
      out.argument(KeySchema.ascii(Double.toString(entry.weight)));
      out.argument(key.bytes);
      sent += 2;
      storedBytes += payload.length - (entry.stored ? entry.bytes : 0);
      entry.stored = true;
      entry.skip = Skip.NONE;
      entry.bytes = payload.length;
      entry.readAt = readAt;
    }
    if (sent > 0) {
      out.flush();
      readAll(out, sent);
    }
    remove(out, removed);
  }

  private void unstore(Entry entry) {
    entry.stored = false;
    storedBytes -= entry.bytes;
    entry.bytes = 0;
  }

  /** Over the budget: the coldest stored entries go first. */
  private void keepBudget(RespConnection out, Map<HotKeys.Key, Integer> rank) throws IOException {
    if (storedBytes <= budgetBytes) {
      return;
    }
    List<Map.Entry<HotKeys.Key, Entry>> stored = new ArrayList<>();
    for (Map.Entry<HotKeys.Key, Entry> e : entries.entrySet()) {
      if (e.getValue().stored) {
        stored.add(e);
      }
    }
    stored.sort( // not ranked (yet): coldest
        (a, b) ->
            Integer.compare(
                rank.getOrDefault(b.getKey(), Integer.MAX_VALUE),
                rank.getOrDefault(a.getKey(), Integer.MAX_VALUE)));
    List<byte[]> evicted = new ArrayList<>();
    for (Map.Entry<HotKeys.Key, Entry> e : stored) {
      if (storedBytes <= budgetBytes) {
        break;
      }
      evicted.add(e.getKey().bytes);
      unstore(e.getValue());
      e.getValue().skip = Skip.OVER_BUDGET;
    }
    remove(out, evicted);
  }

  private void rescore(RespConnection out) throws IOException {
    int sent = 0;
    for (Map.Entry<HotKeys.Key, Entry> e : entries.entrySet()) {
      if (e.getValue().stored) {
        out.send("ZADD", schema.snapshotRank(), "XX", e.getValue().weight, e.getKey().bytes);
        sent++;
      }
    }
    if (sent > 0) {
      out.flush();
      readAll(out, sent);
    }
  }

  private void writeMeta(RespConnection out, long now) throws IOException {
    long stored = 0;
    long tooLarge = 0;
    long noTtl = 0;
    long overBudget = 0;
    for (Entry entry : entries.values()) {
      stored += entry.stored ? 1 : 0;
      tooLarge += entry.skip == Skip.TOO_LARGE ? 1 : 0;
      noTtl += entry.skip == Skip.NO_TTL ? 1 : 0;
      overBudget += entry.skip == Skip.OVER_BUDGET ? 1 : 0;
    }
    out.send(
        "HSET",
        schema.snapshotMeta(),
        SnapshotField.UPDATED_AT.field(),
        now,
        SnapshotField.INSTANCE.field(),
        instance,
        SnapshotField.ENTRIES.field(),
        stored,
        SnapshotField.BYTES.field(),
        storedBytes,
        SnapshotField.BUDGET_BYTES.field(),
        budgetBytes,
        SnapshotField.SKIPPED_OVER_BUDGET.field(),
        overBudget,
        SnapshotField.SKIPPED_TOO_LARGE.field(),
        tooLarge,
        SnapshotField.SKIPPED_NO_TTL.field(),
        noTtl);
    out.flush();
    readAll(out, 1);
    heldEntries = stored;
    heldBytes = storedBytes;
  }

  private boolean noTtlAllowed(byte[] key) {
    for (KeyGlob glob : noTtlAllowed) {
      if (glob.matches(key)) {
        return true;
      }
    }
    return false;
  }

  private static void readAll(RespConnection connection, int replies) throws IOException {
    String refused = null;
    for (int i = 0; i < replies; i++) {
      if (connection.readReply() == RespConnection.Reply.ERROR) {
        refused = connection.lastError().message();
      }
    }
    if (refused != null) {
      throw new IOException(
          "Redis " + connection.endpoint() + " refused a snapshot command: " + refused);
    }
  }

  private RespConnection stats() throws IOException {
    if (statsConnection == null) {
      RespConnection opened = RespConnection.open(stats, timeoutMillis, "keywarm-snapshot");
      try {
        checkStatsIdentity(opened);
      } catch (IOException | RuntimeException e) {
        opened.close();
        throw e;
      }
      statsConnection = opened;
    }
    return statsConnection;
  }

  /**
   * A stats Redis that restarted from its RDB or AOF, or a replica promoted after a failover, may
   * have lost invalidations it had acknowledged while keeping the values: its run id then differs
   * from the one the snapshot was kept on, and {@code invalid_before} is raised to now, so nothing
   * read before can be restored.
   */
  private void checkStatsIdentity(RespConnection out) throws IOException {
    out.send("INFO", "server");
    out.send("HGET", schema.snapshotMeta(), SnapshotField.STATS_RUN_ID.field());
    out.flush();
    Object info = out.read();
    Object known = out.read();
    String runId = null;
    if (info instanceof byte[] bytes) {
      for (String line : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\r\n")) {
        if (line.startsWith("run_id:")) {
          runId = line.substring("run_id:".length()).trim();
        }
      }
    }
    if (runId == null || runId.equals(statsRunId)) {
      return; // cannot tell (INFO refused), or the same server as before
    }
    String knownId =
        known instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : null;
    if (knownId != null && !knownId.equals(runId)) {
      long now = clock.getAsLong();
      out.send(
          "EVAL",
          RAISE_INVALID_BEFORE,
          1,
          schema.snapshotMeta(),
          SnapshotField.INVALID_BEFORE.field(),
          now);
      out.flush();
      out.read();
      AgentLog.info(
          "snapshot: the stats Redis restarted or failed over (new run id); entries read before"
              + " now are not restored");
    }
    out.send("HSET", schema.snapshotMeta(), SnapshotField.STATS_RUN_ID.field(), runId);
    out.flush();
    out.read();
    statsRunId = runId;
  }

  private RespConnection cacheConnection() throws IOException {
    RedisEndpoint endpoint = cache.get();
    if (cacheConnection != null && !cacheConnection.endpoint().equals(endpoint)) {
      cacheConnection.close();
      cacheConnection = null;
    }
    if (cacheConnection == null) {
      cacheConnection = RespConnection.open(endpoint, timeoutMillis, "keywarm-snapshot");
    }
    return cacheConnection;
  }

  private void closeConnections() {
    if (statsConnection != null) {
      statsConnection.close();
      statsConnection = null;
    }
    if (cacheConnection != null) {
      cacheConnection.close();
      cacheConnection = null;
    }
  }

  public boolean isLeader() {
    return leader;
  }

  public long keysRead() {
    return keysRead;
  }

  /**
   * Entries the snapshot held at this keeper's last round (0 on an instance that is not keeper).
   */
  public long heldEntries() {
    return leader ? heldEntries : 0;
  }

  /** Value bytes the snapshot held at this keeper's last round. */
  public long heldBytes() {
    return leader ? heldBytes : 0;
  }

  public long bytesRead() {
    return bytesRead;
  }

  /** Invalidations this instance published. */
  public long published() {
    return published;
  }

  /** Reading from the cache Redis failed: only this round's reads are lost. */
  private static final class CacheUnavailable extends IOException {
    CacheUnavailable(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static final byte[] ZADD = KeySchema.ascii("ZADD");
  private static final byte[] EVAL = KeySchema.ascii("EVAL");
  private static final byte[] ZREM = KeySchema.ascii("ZREM");
  private static final byte[] HSET = KeySchema.ascii("HSET");
  private static final byte[] HDEL = KeySchema.ascii("HDEL");
  private static final byte[] GT = KeySchema.ascii("GT");
  private static final byte[] DUMP = KeySchema.ascii("DUMP");
  private static final byte[] PTTL = KeySchema.ascii("PTTL");
}
