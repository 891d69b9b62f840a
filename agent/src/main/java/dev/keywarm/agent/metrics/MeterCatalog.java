package dev.keywarm.agent.metrics;

import dev.keywarm.agent.jmx.KeywarmAgentMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Every meter the agent exposes, in one list that both ways out read — the built-in Prometheus
 * endpoint ({@link PrometheusText}) and the application's Micrometer registry ({@link
 * MicrometerBridge}) — so the two always show the same names, tags and values.
 *
 * <p>Names follow Micrometer's cache meters ({@code CacheMeterBinder}: {@code cache.gets} with
 * {@code result=hit|miss}, {@code cache.puts}; Spring Boot's Redis cache binder: {@code
 * cache.removals}; Caffeine's: {@code cache.load.duration}), so dashboards built for those work,
 * with the tags {@code cache} (the app name) and {@code pattern} (the key pattern). keywarm's own
 * meters are {@code keywarm.*}.
 */
public final class MeterCatalog {

  /** What a meter is; decides its Prometheus suffixes and its Micrometer type. */
  public enum Type {
    /** Only grows: Prometheus {@code _total}, Micrometer {@code FunctionCounter}. */
    COUNTER,
    /** Goes up and down: Micrometer {@code Gauge}. */
    GAUGE,
    /**
     * A count and a total time in seconds: Prometheus summary, Micrometer {@code FunctionTimer}.
     */
    TIMER
  }

  /**
   * One meter: a Micrometer name ({@code cache.gets}), its base unit (null: none; {@code seconds}
   * for timers), tags as key, value pairs sorted by key, and its value — for a timer, {@code value}
   * is the count and {@code totalSeconds} the summed time.
   */
  public record Meter(
      String name,
      Type type,
      String baseUnit,
      String description,
      List<String> tags,
      DoubleSupplier value,
      DoubleSupplier totalSeconds) {

    /** Identifies the meter across scrapes (for registering each once). */
    public String id() {
      return name + tags;
    }
  }

  private final String app;
  private final PatternMeters patterns;
  private final List<Meter> agentMeters;

  public MeterCatalog(
      String app, PatternMeters patterns, KeywarmAgentMetrics agent, MetersUpdater updater) {
    this(app, patterns, agent, updater, null);
  }

  /**
   * @param standing the standing warm's counters by name, or null when {@code standing=off}
   */
  public MeterCatalog(
      String app,
      PatternMeters patterns,
      KeywarmAgentMetrics agent,
      MetersUpdater updater,
      Supplier<Map<String, Number>> standing) {
    this.app = app;
    this.patterns = patterns;
    List<Meter> own = new ArrayList<>();
    own.add(
        counter(
            "keywarm.events.lost",
            null,
            "calls not recorded because a recording buffer was full",
            agent::getLostEvents));
    own.add(
        counter(
            "keywarm.events.dropped",
            null,
            "events of keys evicted from the bounded window summary (counted per hour, not per key)",
            agent::summaryDroppedEvents));
    own.add(
        counter(
            "keywarm.removals.untracked",
            null,
            "deletes of keys the window summary did not track (not counted per key pattern)",
            agent::untrackedRemovals));
    own.add(
        gauge(
            "keywarm.flush.lag",
            "seconds",
            "age of the oldest window not yet written to the stats Redis",
            () -> agent.getFlushLagMillis() / 1000.0));
    own.add(
        gauge(
            "keywarm.keys.tracked",
            null,
            "keys in the current window summary",
            agent::getTrackedKeys));
    own.add(
        counter(
            "keywarm.snapshot.keys.read",
            null,
            "keys the hot-set snapshot read from the cache Redis",
            agent::getSnapshotKeysRead));
    own.add(
        counter(
            "keywarm.snapshot.read",
            "bytes",
            "value bytes the hot-set snapshot read from the cache Redis",
            agent::getSnapshotBytesRead));
    own.add(
        counter(
            "keywarm.meters.dropped",
            null,
            "windows the meters could not count (their thread fell behind)",
            updater::dropped));
    own.add(
        gauge(
            "keywarm.snapshot.entries",
            null,
            "entries the hot-set snapshot holds (on the instance that keeps it)",
            agent::getSnapshotEntries));
    own.add(
        gauge(
            "keywarm.snapshot.size",
            "bytes",
            "value bytes the hot-set snapshot holds (on the instance that keeps it)",
            agent::getSnapshotBytes));
    WarmRunnerReadout warm = new WarmRunnerReadout(app, agent);
    own.add(
        gauge(
            "keywarm.warm.coverage",
            null,
            "share of the plan's expected reads the current or last warm put back (0-1)",
            () -> warm.read("Coverage")));
    own.add(
        gauge(
            "keywarm.warm.keys.planned",
            null,
            "keys the current or last warm planned",
            () -> warm.read("Planned")));
    own.add(
        gauge(
            "keywarm.warm.keys.warmed",
            null,
            "keys the current or last warm loaded through loaders",
            () -> warm.read("Warmed")));
    own.add(
        gauge(
            "keywarm.warm.keys.restored",
            null,
            "keys the current or last warm restored from the hot-set snapshot",
            () -> warm.read("Restored")));
    if (standing != null) {
      own.addAll(standingMeters(standing));
    }
    this.agentMeters = List.copyOf(own);
  }

  /** The standing warm's techniques, as its options and counters name them. */
  private static final List<String> STANDING_TECHNIQUES =
      List.of("next-hour", "refresh-ahead", "lazy", "scheduled");

  /** What a standing technique did with a key, each a value of the {@code result} tag. */
  private static final List<String> STANDING_RESULTS =
      List.of(
          "loaded",
          "present",
          "application_wrote_first",
          "unchanged",
          "skipped",
          "no_loader",
          "missing",
          "no_ttl",
          "ttl_too_short",
          "failed",
          "timed_out");

  private List<Meter> standingMeters(Supplier<Map<String, Number>> live) {
    Supplier<Map<String, Number>> standing = new OncePerScrape(live);
    List<Meter> meters = new ArrayList<>();
    meters.add(
        gauge(
            "keywarm.standing.lease.holder",
            null,
            "1 on the instance that runs the standing warm for the app, else 0",
            () -> number(standing, "lease_holder")));
    meters.add(
        counter(
            "keywarm.standing.rounds.failed",
            null,
            "standing-warm rounds that failed (a Redis outage, a bug) and were retried later",
            () -> number(standing, "failed_rounds")));
    for (String technique : STANDING_TECHNIQUES) {
      for (String result : STANDING_RESULTS) {
        meters.add(
            new Meter(
                "keywarm.standing.keys",
                Type.COUNTER,
                null,
                "keys a standing-warm technique handled, by what came of each (loaded: written to"
                    + " the cache)",
                List.of("cache", app, "technique", technique, "result", result),
                () -> number(standing, technique + "." + result),
                null));
      }
    }
    return meters;
  }

  /**
   * The runner's counters, read once for all the meters of one scrape (a map of some 60 entries
   * built per read): kept for {@value #ONCE_PER_SCRAPE_MILLIS} ms.
   */
  private static final class OncePerScrape implements Supplier<Map<String, Number>> {
    private final Supplier<Map<String, Number>> live;
    private Map<String, Number> last = Map.of();
    private long readAtNanos;

    OncePerScrape(Supplier<Map<String, Number>> live) {
      this.live = live;
    }

    @Override
    public synchronized Map<String, Number> get() {
      long now = System.nanoTime();
      if (readAtNanos == 0 || now - readAtNanos > ONCE_PER_SCRAPE_MILLIS * 1_000_000) {
        last = live.get();
        readAtNanos = now;
      }
      return last;
    }
  }

  private static final long ONCE_PER_SCRAPE_MILLIS = 200;

  private static double number(Supplier<Map<String, Number>> counters, String name) {
    Number value = counters.get().get(name);
    return value == null ? 0 : value.doubleValue();
  }

  /** Every meter now: keywarm's own, then four per key pattern seen so far. */
  public List<Meter> meters() {
    List<Meter> all = new ArrayList<>(agentMeters);
    for (PatternMeters.Series s : patterns.series()) {
      String p = s.pattern();
      for (boolean hit : new boolean[] {true, false}) {
        all.add(
            new Meter(
                "cache.gets",
                Type.COUNTER,
                null,
                "cache reads that found a value (hit) or nil (miss)",
                List.of("cache", app, "pattern", p, "result", hit ? "hit" : "miss"),
                hit ? s::hits : s::misses,
                null));
      }
      all.add(
          new Meter(
              "cache.puts",
              Type.COUNTER,
              null,
              "cache writes (SET family)",
              List.of("cache", app, "pattern", p),
              s::puts,
              null));
      all.add(
          new Meter(
              "cache.removals",
              Type.COUNTER,
              null,
              "keys the application deleted (DEL, UNLINK, GETDEL)",
              List.of("cache", app, "pattern", p),
              s::removals,
              null));
      all.add(
          new Meter(
              "cache.load.duration",
              Type.TIMER,
              "seconds",
              "time from a miss to the SET of the same key (the load the miss caused)",
              List.of("cache", app, "pattern", p),
              s::loads,
              () -> s.loadNanos() / 1e9));
    }
    return all;
  }

  private Meter counter(String name, String unit, String help, DoubleSupplier value) {
    return new Meter(name, Type.COUNTER, unit, help, List.of("cache", app), value, null);
  }

  private Meter gauge(String name, String unit, String help, DoubleSupplier value) {
    return new Meter(name, Type.GAUGE, unit, help, List.of("cache", app), value, null);
  }
}
