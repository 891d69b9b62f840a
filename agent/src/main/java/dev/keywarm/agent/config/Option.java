package dev.keywarm.agent.config;

/**
 * Every agent option, with its default, in one place. The README's options table mirrors this enum.
 * Each option can be given as an agent argument ({@code -javaagent:keywarm.jar=app=shop,flush=5s}),
 * a system property ({@code -Dkeywarm.app=shop}) or an environment variable ({@code
 * KEYWARM_APP=shop}); the first of those that is set wins, in that order.
 */
public enum Option {
  APP(
      "app",
      null,
      "application name; the hash tag of every stats key (default: main class or jar name)"),
  REDIS(
      "redis",
      null,
      "stats Redis URL, redis:// or rediss://, user and password allowed (default: the first Redis the application connects to)"),
  FLUSH("flush", "10s", "how often counters are written to the stats Redis"),
  RETENTION("retention", "8d", "how long hourly sets are kept after their hour ends"),
  MAX_KEYS(
      "maxkeys",
      "100000",
      "keys tracked per flush window; rarer keys beyond it are counted as dropped"),
  HOUR_KEYS(
      "hourkeys",
      null,
      "members each hourly key set (hits, misses, writes, loads, ttl) keeps in the stats Redis; past it by 10 % the coldest are trimmed back to it and counted in the hour's meta trimmed_* (default: 2 x maxkeys)"),
  SHARDS(
      "shards",
      "auto",
      "shards each hour's stats are spread over, each its own Redis Cluster hash tag (1-1024); auto: 24 on a Redis Cluster (even over 2, 3, 4, 6, 8 or 12 masters), 1 on a standalone Redis"),
  HOT_KEYS(
      "hotkeys",
      "1000",
      "keys of each flush window written with it (its heaviest by reads and writes); the rest are merged in process over tailflush and written then (0: every key waits for tailflush)"),
  TAIL_FLUSH(
      "tailflush",
      "10m",
      "how often the keys below hotkeys, and the co-access pairs, merged over the hour (Space-Saving, maxkeys and keybytes), are written to the stats Redis; also when the UTC hour turns and on exit (flush to 1h)"),
  BACKLOG(
      "backlog",
      "200000",
      "key entries kept while the stats Redis is unreachable; oldest windows are dropped (and counted) beyond it"),
  KEY_BYTES(
      "keybytes",
      null,
      "heap for stored key bytes, for the window's key summary and again for the backlog, e.g. 16m (default: 1/32 of the heap, 8m to 64m)"),
  BUFFER(
      "buffer",
      "8192",
      "recording buffer slots per stripe; a full buffer loses the event and counts it"),
  PAIR_KEYS(
      "pairkeys",
      "8",
      "recent reads per thread that a new read is paired with (0 turns co-access pairs off)"),
  PAIR_TIME("pairtime", "200ms", "how far back a read pairs with a later read on the same thread"),
  MAX_PAIRS(
      "maxpairs",
      "10000",
      "key pairs tracked per flush window; rarer pairs beyond it are not kept"),
  HOUR_PAIRS(
      "hourpairs",
      null,
      "pairs the hourly pairs set keeps in the stats Redis, trimmed like hourkeys (default: 2 x maxpairs)"),
  KEYS(
      "keys",
      "plain",
      "plain; hashed: only a keyed hash of each key (after a readable prefix) leaves the JVM; pattern: only the key's pattern"),
  KEY_PREFIX(
      "keyprefix",
      "1",
      "with keys=hashed or pattern, the leading ':'-separated segments kept readable"),
  KEY_SECRET(
      "keysecret",
      null,
      "with keys=hashed, the HMAC secret, the same on every instance; prefer KEYWARM_KEYSECRET; never logged"),
  LOAD_WINDOW(
      "loadwindow",
      "30s",
      "longest gap from a GET miss to the SET of the same key that counts as a load"),
  TIMEOUT("timeout", "2s", "connect and read timeout towards the stats Redis"),
  SHUTDOWN_FLUSH("shutdownflush", "3s", "time the final flush may take when the JVM exits"),
  WARM(
      "warm",
      "off",
      "off, on-start (when the application first connects to Redis), on-restart (when the cache Redis comes back cold) or always"),
  CACHE(
      "cache",
      null,
      "the cache Redis to watch and warm (default: the first Redis the application connects to)"),
  WARM_ARGS(
      "warmargs",
      "",
      "more flags for the warm, as for 'keywarm warm' (e.g. --rate 200 --http product:*=http://localhost:8080/p/{2}); best given as -Dkeywarm.warmargs"),
  RESTART_CHECK(
      "restartcheck",
      "5s",
      "how often the cache Redis is checked for a restart or a flush (warm=on-restart)"),
  SNAPSHOT(
      "snapshot",
      "auto",
      "hot-set snapshot (values read with DUMP + PTTL, kept in the stats Redis) for a restore with no loader code: auto (on with warm=on-restart or always, keys=plain and a stats Redis apart from the cache), on or off"),
  SNAPSHOT_KEYS("snapshotkeys", "20000", "hottest keys whose values the snapshot keeps"),
  SNAPSHOT_BYTES(
      "snapshotbytes",
      "256m",
      "value bytes the snapshot may hold; beyond it the coldest keys are left out (and counted)"),
  SNAPSHOT_VALUE(
      "snapshotvalue",
      "1m",
      "largest value the snapshot keeps; larger ones are left out (and counted)"),
  SNAPSHOT_RATE(
      "snapshotrate",
      "auto",
      "keys the snapshot reads per second from the cache Redis: auto (5 % of the keys the application reads and writes per second, at least 20) or a number"),
  SNAPSHOT_NO_TTL(
      "snapshotnottl",
      "",
      "key globs, separated by spaces, whose keys may be restored although they have no TTL (by default such keys are never restored: nothing bounds their staleness)"),
  REWARM(
      "rewarm",
      "off",
      "off or on-delete: a planned (hot) key the application deletes (DEL, UNLINK, GETDEL) is loaded again through its loader after rewarmdelay, with SET NX, so the application's own refill always wins"),
  REWARM_DELAY(
      "rewarmdelay",
      "1s",
      "how long after a delete the key is loaded again (rewarm=on-delete): time for the application to refill it itself"),
  STANDING(
      "standing",
      "off",
      "standing warm, one instance per app (a lease): off, all, or techniques joined with + — next-hour (the coming UTC hour's plan, nexthourlead before it), refresh-ahead (a planned key whose remaining TTL falls below refreshbelow of its observed TTL is reloaded and written only if the application did not write it meanwhile), lazy (keys missed lazymisses times and not cached are loaded once for the fleet), scheduled (the plan's top scheduledkeys every scheduledevery, NX)"),
  STANDING_RATE(
      "standingrate",
      "50",
      "loader calls per second of the standing warm, all techniques together"),
  STANDING_LEASE(
      "standinglease",
      "30s",
      "expiry of the standing warm's lease (renewed every 1/4 to 1/3 of it; at least 6s): how soon another instance takes over"),
  NEXT_HOUR_LEAD("nexthourlead", "5m", "how long before each UTC hour next-hour warms (below 1h)"),
  NEXT_HOUR_KEYS("nexthourkeys", "10000", "most keys of the coming hour's plan next-hour loads"),
  REFRESH_BELOW(
      "refreshbelow",
      "0.1",
      "refresh-ahead reloads a key whose remaining TTL is below this share of its observed TTL (0 to 1)"),
  REFRESH_KEYS("refreshkeys", "1000", "the current plan's top keys refresh-ahead watches"),
  REFRESH_CHECK("refreshcheck", "10s", "how often refresh-ahead reads their remaining TTLs"),
  LAZY_MISSES(
      "lazymisses", "3", "misses since lazy's last look at which a key not in the cache is loaded"),
  LAZY_KEYS("lazykeys", "1000", "most-missed keys of the hour lazy looks at each time"),
  LAZY_CHECK("lazycheck", "10s", "how often lazy looks at the hour's misses"),
  LAZY_CLAIM(
      "lazyclaim", "1m", "how long a key lazy loaded is claimed for the fleet (loaded once in it)"),
  SCHEDULED_EVERY("scheduledevery", "15m", "how often scheduled re-warms the plan's top keys"),
  SCHEDULED_KEYS("scheduledkeys", "1000", "how many top keys of the plan scheduled re-warms"),
  READINESS(
      "readiness",
      "auto",
      "auto: with warm=on-start (or always), Spring Boot's readiness state reads REFUSING_TRAFFIC while the start warm runs, until it reaches its coverage target, ends, or readinesstimeout passes; off"),
  READINESS_TIMEOUT(
      "readinesstimeout",
      "60s",
      "the longest the start warm may hold readiness back (readiness=auto)"),
  MICROMETER(
      "micrometer",
      "auto",
      "auto: when the application has Micrometer, the cache meters per key pattern are registered on its Metrics.globalRegistry (Spring Boot's /actuator/prometheus then shows them); off"),
  PROMETHEUS(
      "prometheus",
      "off",
      "[host:]port of a built-in Prometheus endpoint serving the same meters at /metrics (e.g. 9464), or off"),
  OTLP(
      "otlp",
      "off",
      "OTLP/HTTP endpoint to push the same meters to as JSON (e.g. http://otel-collector:4318; /v1/metrics is added), or off"),
  OTLP_INTERVAL("otlpinterval", "60s", "how often the meters are pushed to the OTLP endpoint"),
  METRIC_PATTERNS(
      "metricpatterns",
      "100",
      "key patterns with a series of their own in the meters; later ones count under pattern=\"other\""),
  RECORDING("recording", "on", "on or off; off installs no hooks at all"),
  LOG("log", "info", "debug, info, warn or off");

  private final String key;
  private final String defaultValue;
  private final String description;

  Option(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public String systemProperty() {
    return "keywarm." + key;
  }

  public String environmentVariable() {
    return "KEYWARM_" + key.toUpperCase(java.util.Locale.ROOT);
  }

  static Option byKey(String key) {
    for (Option option : values()) {
      if (option.key.equals(key)) {
        return option;
      }
    }
    return null;
  }
}
