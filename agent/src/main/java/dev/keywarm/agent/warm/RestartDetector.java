package dev.keywarm.agent.warm;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RespConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Notices that the cache Redis came back cold while the application runs, so that a warm can follow
 * without anyone noticing first. Polls, every {@code interval}, {@code INFO server}, {@code INFO
 * commandstats} and {@code DBSIZE} over the agent's own connection:
 *
 * <ul>
 *   <li>a new {@code run_id} means the server restarted or a replica was promoted (failover);
 *   <li>more FLUSHALL or FLUSHDB calls than last time mean the keyspace was flushed — the
 *       application refills a flushed cache within milliseconds, so the key count alone would
 *       rarely be caught at 0 (a FLUSHDB of another database counts too: the warm then finds its
 *       keys present and writes nothing, since it never overwrites);
 *   <li>where commandstats is not allowed, a key count that fell from at least {@value
 *       #MIN_KEYS_BEFORE_EMPTY} to 0 means the same.
 * </ul>
 *
 * An unreachable Redis is not a restart: the detector waits (logging nothing more than the flusher
 * does) and compares when it answers again — a restart during the outage shows up as a new run id.
 *
 * <p>Polling is the fallback; the main signal is a connection the detector holds open, subscribed
 * to a channel nobody publishes on, so that it only ever reads when the server goes away. A server
 * that dies closes it at once; the detector then reconnects every {@value #FAST_RETRY_MILLIS} ms
 * (for {@value #FAST_RETRY_FOR_MILLIS} ms, then at the polling interval) and compares the run id
 * the moment the new server accepts a connection. The hooks' own failed commands are a cue too
 * ({@link #cue()}): the detector checks now instead of at the next poll.
 */
public final class RestartDetector implements Runnable {

  static final long MIN_KEYS_BEFORE_EMPTY = 10;
  static final long FAST_RETRY_MILLIS = 20;
  static final long FAST_RETRY_FOR_MILLIS = 10_000;

  /** How soon a cue is acted on: the watch reads in slices this long. */
  static final long CUE_WAIT_MILLIS = 50;

  private static final long MIN_CUE_GAP_NANOS = 100_000_000;

  /** Subscribed to by the watch connection; not a key, and never published to. */
  static final String WATCH_CHANNEL = "__keywarm_watch__";

  /** Why a warm is needed. */
  public enum Reason {
    RESTARTED,
    FLUSHED
  }

  private final Supplier<RedisEndpoint> target;
  private final long intervalMillis;
  private final int timeoutMillis;
  private final Consumer<Reason> onCold;
  private volatile boolean stopping;
  private String runId;
  private long lastKeys;

  /** FLUSHALL + FLUSHDB calls since the server started or its stats were reset; -1: unknown. */
  private long lastFlushes = -1;

  private RespConnection connection;
  private volatile RespConnection watch;
  private volatile boolean cued;
  private volatile long lastCueNanos = System.nanoTime() - MIN_CUE_GAP_NANOS - 1;
  private boolean refusedLogged;

  public RestartDetector(
      Supplier<RedisEndpoint> target,
      long intervalMillis,
      int timeoutMillis,
      Consumer<Reason> onCold) {
    this.target = target;
    this.intervalMillis = intervalMillis;
    this.timeoutMillis = timeoutMillis;
    this.onCold = onCold;
  }

  public Thread start() {
    Thread started = new Thread(this, "keywarm-restart-detector");
    started.setDaemon(true);
    started.start();
    return started;
  }

  /**
   * Something suggests the cache Redis went away (a hooked command failed): check now. Cheap and
   * safe from any thread; a burst of cues costs one check.
   */
  public void cue() {
    long now = System.nanoTime();
    if (!cued && now - lastCueNanos > MIN_CUE_GAP_NANOS) { // a stream of error replies: one check
      lastCueNanos = now;
      cued = true; // the watch loop sees it within CUE_WAIT_MILLIS; nothing is closed from here
    }
  }

  public void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        check();
        if (watchUntilGoneOrDue()) {
          reconnectFast();
        }
      } catch (Throwable t) {
        AgentLog.debug("restart detector: " + t);
        sleep(intervalMillis);
      }
    }
    close();
  }

  /**
   * Waits on the watch connection until the next poll is due (false) or the server went away or a
   * cue came (true). Without a watch connection (refused, no target) it simply waits for the poll:
   * a server that takes polls but refuses the watch (maxclients, a proxy) is never hammered.
   */
  boolean watchUntilGoneOrDue() {
    cued = false;
    RedisEndpoint endpoint = target.get();
    long due = System.nanoTime() + intervalMillis * 1_000_000;
    if (endpoint != null && (watch == null || !watch.endpoint().equals(endpoint))) {
      closeWatch();
      try {
        RespConnection opened = RespConnection.open(endpoint, timeoutMillis, "keywarm-agent-watch");
        opened.send("SUBSCRIBE", WATCH_CHANNEL);
        opened.flush();
        opened.read(); // the subscription's confirmation
        watch = opened;
      } catch (IOException | RuntimeException e) {
        closeWatch(); // refused or unreachable: the polls go on at their interval
      }
    }
    RespConnection held = watch;
    while (held != null && !stopping && !cued) {
      long left = (due - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      try {
        // short reads, so a cue is seen within CUE_WAIT_MILLIS without closing the connection
        held.setTimeout((int) Math.min(CUE_WAIT_MILLIS, left));
        held.read(); // nobody publishes: a reply here is unexpected but harmless
      } catch (java.net.SocketTimeoutException quiet) {
        // alive and quiet: wait on
      } catch (IOException | RuntimeException gone) {
        closeWatch();
        return true; // the server went away: look at once
      }
    }
    if (held == null) {
      while (!stopping && !cued && System.nanoTime() - due < 0) {
        sleep(Math.min(CUE_WAIT_MILLIS, Math.max(1, (due - System.nanoTime()) / 1_000_000)));
      }
    }
    return cued;
  }

  /** After a drop: check every 20 ms until the server answers, so a restart is seen at once. */
  private void reconnectFast() {
    long started = System.nanoTime();
    while (!stopping && !check()) {
      boolean fast = System.nanoTime() - started < FAST_RETRY_FOR_MILLIS * 1_000_000;
      sleep(fast ? FAST_RETRY_MILLIS : intervalMillis);
    }
  }

  private static void sleep(long millis) {
    java.util.concurrent.locks.LockSupport.parkNanos(millis * 1_000_000);
  }

  /**
   * One observation; package-private so a test can drive it without timing. False when the server
   * could not be asked (unreachable, or no target known yet).
   */
  boolean check() {
    RedisEndpoint endpoint = target.get();
    if (endpoint == null) {
      return false;
    }
    String currentRunId;
    long keys;
    long flushes;
    try {
      if (connection == null || !connection.endpoint().equals(endpoint)) {
        close();
        connection = RespConnection.open(endpoint, timeoutMillis, "keywarm-agent");
      }
      connection.send("INFO", "server");
      connection.send("INFO", "commandstats");
      connection.send("DBSIZE");
      connection.flush();
      Object info = connection.read();
      flushes = flushCalls(connection.read());
      Object size = connection.read();
      if (info instanceof dev.keywarm.redis.RedisError error && !refusedLogged) {
        refusedLogged = true;
        AgentLog.warn(
            "cannot watch the cache Redis "
                + endpoint
                + " ("
                + error.message()
                + "); set cache=redis://user:password@host:port");
      }
      currentRunId = runId(info);
      keys = size instanceof Long count ? count : -1;
    } catch (IOException | RuntimeException e) {
      close();
      return false;
    }
    if (currentRunId == null || keys < 0) {
      return true; // answered, but cannot be compared (ACL): polling has nothing more to learn
    }
    Reason reason = null;
    if (runId != null && !runId.equals(currentRunId)) {
      reason = Reason.RESTARTED;
    } else if (lastFlushes >= 0 && flushes > lastFlushes
        || lastKeys >= MIN_KEYS_BEFORE_EMPTY && keys == 0) {
      reason = Reason.FLUSHED;
    }
    runId = currentRunId;
    lastKeys = keys;
    lastFlushes = flushes;
    if (reason != null) {
      AgentLog.info(
          "cache Redis "
              + endpoint
              + (reason == Reason.RESTARTED ? " restarted (new run_id)" : " was flushed")
              + "; warming");
      onCold.accept(reason);
    }
    return true;
  }

  private static String runId(Object info) {
    String value = infoField(info, "run_id:");
    return value == null ? null : value.trim();
  }

  /**
   * FLUSHALL plus FLUSHDB calls in {@code INFO commandstats}; -1 if it cannot be read (e.g. ACL).
   */
  private static long flushCalls(Object commandStats) {
    if (!(commandStats instanceof byte[])) {
      return -1;
    }
    return calls(infoField(commandStats, "cmdstat_flushall:"))
        + calls(infoField(commandStats, "cmdstat_flushdb:"));
  }

  /** {@code calls=N,usec=...}: N; a command never called has no line, hence 0. */
  private static long calls(String stats) {
    if (stats == null || !stats.startsWith("calls=")) {
      return 0;
    }
    int end = stats.indexOf(',');
    return Long.parseLong(stats.substring("calls=".length(), end < 0 ? stats.length() : end));
  }

  private static String infoField(Object info, String prefix) {
    if (!(info instanceof byte[] bytes)) {
      return null;
    }
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    return null;
  }

  private void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    closeWatch();
  }

  private void closeWatch() {
    RespConnection held = watch;
    watch = null;
    if (held != null) {
      held.close();
    }
  }
}
