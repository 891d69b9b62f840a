package dev.keywarm.agent.warm;

import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.agent.log.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Notices that the cache Redis came back cold while the application runs, so that a warm can follow
 * without anyone noticing first. Polls, every {@code interval}, {@code INFO server},
 * {@code INFO commandstats} and {@code DBSIZE} over the agent's own connection:
 * <ul>
 *   <li>a new {@code run_id} means the server restarted or a replica was promoted (failover);</li>
 *   <li>more FLUSHALL or FLUSHDB calls than last time mean the keyspace was flushed — the
 *       application refills a flushed cache within milliseconds, so the key count alone would rarely
 *       be caught at 0 (a FLUSHDB of another database counts too: the warm then finds its keys
 *       present and writes nothing, since it never overwrites);</li>
 *   <li>where commandstats is not allowed, a key count that fell from at least
 *       {@value #MIN_KEYS_BEFORE_EMPTY} to 0 means the same.</li>
 * </ul>
 * An unreachable Redis is not a restart: the detector waits (logging nothing more than the flusher
 * does) and compares when it answers again — a restart during the outage shows up as a new run id.
 */
public final class RestartDetector implements Runnable {

  static final long MIN_KEYS_BEFORE_EMPTY = 10;

  /** Why a warm is needed. */
  public enum Reason { RESTARTED, FLUSHED }

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
  private boolean refusedLogged;

  public RestartDetector(Supplier<RedisEndpoint> target, long intervalMillis, int timeoutMillis,
      Consumer<Reason> onCold) {
    this.target = target;
    this.intervalMillis = intervalMillis;
    this.timeoutMillis = timeoutMillis;
    this.onCold = onCold;
  }

  public Thread start() {
    Thread thread = new Thread(this, "keywarm-restart-detector");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  public void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        check();
      } catch (Throwable t) {
        AgentLog.debug("restart detector: " + t);
      }
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
    close();
  }

  /** One observation; package-private so a test can drive it without timing. */
  void check() {
    RedisEndpoint endpoint = target.get();
    if (endpoint == null) {
      return;
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
        AgentLog.warn("cannot watch the cache Redis " + endpoint + " (" + error.message()
            + "); set cache=redis://user:password@host:port");
      }
      currentRunId = runId(info);
      keys = size instanceof Long count ? count : -1;
    } catch (IOException | RuntimeException e) {
      close();
      return;
    }
    if (currentRunId == null || keys < 0) {
      return;
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
      AgentLog.info("cache Redis " + endpoint + (reason == Reason.RESTARTED
          ? " restarted (new run_id)" : " was flushed") + "; warming");
      onCold.accept(reason);
    }
  }

  private static String runId(Object info) {
    String value = infoField(info, "run_id:");
    return value == null ? null : value.trim();
  }

  /** FLUSHALL plus FLUSHDB calls in {@code INFO commandstats}; -1 if it cannot be read (e.g. ACL). */
  private static long flushCalls(Object commandStats) {
    if (!(commandStats instanceof byte[])) {
      return -1;
    }
    return calls(infoField(commandStats, "cmdstat_flushall:")) + calls(infoField(commandStats, "cmdstat_flushdb:"));
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
  }
}
