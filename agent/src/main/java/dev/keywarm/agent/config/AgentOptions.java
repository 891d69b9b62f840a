package dev.keywarm.agent.config;

import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.recording.KeyPrivacy;
import dev.keywarm.redis.Durations;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.KeySchema;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's configuration, parsed and validated once at start. Any malformed value is an {@link
 * InvalidOptionException} whose message names the option, the value and the expected form; the
 * agent then installs nothing and the application starts as if it were not there.
 *
 * <p>Precedence, highest first: agent argument, {@code -Dkeywarm.*} system property, {@code
 * KEYWARM_*} environment variable, default. Agent arguments are {@code name=value} pairs separated
 * by commas, so a value containing a comma (a password, say) must come from a system property or
 * the environment.
 */
public final class AgentOptions {

  /** Largest hourly cap: 10^8 members of 512-byte keys would already be tens of GB an hour. */
  private static final int MAX_HOUR_CAP = 100_000_000;

  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kmg]?)b?");

  private final String app;
  private final RedisEndpoint redis;
  private final Duration flushInterval;
  private final Duration retention;
  private final int maxKeys;
  private final int hourKeys;
  private final int shards;
  private final int hotKeys;
  private final Duration tailFlush;
  private final int backlogEntries;
  private final long keyBytes;
  private final int bufferSlots;
  private final Duration loadWindow;
  private final int pairKeys;
  private final Duration pairTime;
  private final int maxPairs;
  private final int hourPairs;
  private final KeyPrivacy keyPrivacy;
  private final Duration timeout;
  private final Duration shutdownFlush;
  private final boolean recording;
  private final WarmMode warm;
  private final RedisEndpoint cache;
  private final List<String> warmArgs;
  private final Duration restartCheck;
  private final boolean rewarmOnDelete;
  private final boolean micrometer;
  private final boolean readinessGate;
  private final Duration readinessTimeout;
  private final String prometheusHost;
  private final int prometheusPort;
  private final int metricPatterns;
  private final String otlpEndpoint;
  private final Duration otlpInterval;
  private final Duration rewarmDelay;
  private final Map<String, String> standing;
  private final AgentLog.Level logLevel;
  private final String snapshotMode;
  private final int snapshotKeys;
  private final long snapshotBytes;
  private final long snapshotValueBytes;
  private final int snapshotRate;
  private final List<String> snapshotNoTtl;

  private AgentOptions(Map<Option, String> values) throws InvalidOptionException {
    String appValue = values.get(Option.APP);
    if (!KeySchema.isValidAppName(appValue)) {
      throw invalid(Option.APP, appValue, "1-64 characters of A-Z a-z 0-9 . _ -");
    }
    app = appValue;
    String url = values.get(Option.REDIS);
    try {
      redis = url == null ? null : RedisEndpoint.parse(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("invalid option redis: " + e.getMessage());
    }
    flushInterval = positiveDuration(values, Option.FLUSH);
    retention = positiveDuration(values, Option.RETENTION);
    maxKeys = positiveInt(values, Option.MAX_KEYS, 16, 10_000_000);
    backlogEntries = positiveInt(values, Option.BACKLOG, 0, 100_000_000);
    keyBytes = keyBytes(values.get(Option.KEY_BYTES));
    bufferSlots = positiveInt(values, Option.BUFFER, 64, 1 << 24);
    loadWindow = positiveDuration(values, Option.LOAD_WINDOW);
    pairKeys = positiveInt(values, Option.PAIR_KEYS, 0, 64);
    pairTime = positiveDuration(values, Option.PAIR_TIME);
    maxPairs = positiveInt(values, Option.MAX_PAIRS, 1, 10_000_000);
    hourKeys = hourCap(values, Option.HOUR_KEYS, Option.MAX_KEYS, maxKeys);
    hotKeys = positiveInt(values, Option.HOT_KEYS, 0, 10_000_000);
    tailFlush = tailFlush(values, flushInterval);
    hourPairs = hourCap(values, Option.HOUR_PAIRS, Option.MAX_PAIRS, maxPairs);
    shards = shards(values.get(Option.SHARDS));
    keyPrivacy = keyPrivacy(values);
    timeout = positiveDuration(values, Option.TIMEOUT);
    shutdownFlush = positiveDuration(values, Option.SHUTDOWN_FLUSH);
    recording = onOff(values, Option.RECORDING);
    warm = WarmMode.parse(values.get(Option.WARM));
    if (warm == null) {
      throw invalid(Option.WARM, values.get(Option.WARM), "off, on-start, on-restart or always");
    }
    String cacheUrl = values.get(Option.CACHE);
    try {
      cache = cacheUrl == null ? null : RedisEndpoint.parse(cacheUrl);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("invalid option cache: " + e.getMessage());
    }
    String args = values.get(Option.WARM_ARGS);
    warmArgs = args == null || args.isBlank() ? List.of() : List.of(args.trim().split("\\s+"));
    restartCheck = positiveDuration(values, Option.RESTART_CHECK);
    String rewarm = values.get(Option.REWARM).trim().toLowerCase(Locale.ROOT);
    if (!List.of("off", "on-delete").contains(rewarm)) {
      throw invalid(Option.REWARM, values.get(Option.REWARM), "off or on-delete");
    }
    rewarmOnDelete = rewarm.equals("on-delete");
    rewarmDelay = positiveDuration(values, Option.REWARM_DELAY);
    standing = standing(values);
    String readinessMode = values.get(Option.READINESS).trim().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "off").contains(readinessMode)) {
      throw invalid(Option.READINESS, values.get(Option.READINESS), "auto or off");
    }
    readinessGate = readinessMode.equals("auto") && warm.onStart();
    readinessTimeout = positiveDuration(values, Option.READINESS_TIMEOUT);
    String micrometerMode = values.get(Option.MICROMETER).trim().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "off").contains(micrometerMode)) {
      throw invalid(Option.MICROMETER, values.get(Option.MICROMETER), "auto or off");
    }
    micrometer = micrometerMode.equals("auto");
    String prometheus = values.get(Option.PROMETHEUS).trim();
    if (prometheus.equalsIgnoreCase("off")) {
      prometheusHost = null;
      prometheusPort = -1;
    } else {
      int colon = prometheus.lastIndexOf(':');
      prometheusHost = colon > 0 ? prometheus.substring(0, colon) : null;
      int port;
      try {
        port = Integer.parseInt(prometheus.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65_535) {
        throw invalid(Option.PROMETHEUS, prometheus, "[host:]port (0-65535) or off");
      }
      prometheusPort = port;
    }
    metricPatterns = positiveInt(values, Option.METRIC_PATTERNS, 1, 10_000);
    String otlp = values.get(Option.OTLP).trim();
    if (otlp.equalsIgnoreCase("off")) {
      otlpEndpoint = null;
    } else {
      try {
        java.net.URI uri = java.net.URI.create(otlp);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          throw new IllegalArgumentException("not an http(s) URL");
        }
      } catch (IllegalArgumentException e) {
        throw invalid(
            Option.OTLP,
            otlp.replaceAll("//[^@/]*@", "//***@"), // never a token in the log
            "an http(s) URL like http://otel-collector:4318, or off");
      }
      otlpEndpoint = otlp;
    }
    otlpInterval = positiveDuration(values, Option.OTLP_INTERVAL);
    logLevel = logLevel(values.get(Option.LOG));
    snapshotMode = values.get(Option.SNAPSHOT).trim().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "on", "off").contains(snapshotMode)) {
      throw invalid(Option.SNAPSHOT, values.get(Option.SNAPSHOT), "auto, on or off");
    }
    snapshotKeys = positiveInt(values, Option.SNAPSHOT_KEYS, 1, 10_000_000);
    snapshotBytes = size(values, Option.SNAPSHOT_BYTES, 1L << 20, 64L << 30);
    snapshotValueBytes = size(values, Option.SNAPSHOT_VALUE, 1L << 10, 512L << 20);
    String rate = values.get(Option.SNAPSHOT_RATE).trim().toLowerCase(Locale.ROOT);
    snapshotRate =
        rate.equals("auto") ? 0 : positiveInt(values, Option.SNAPSHOT_RATE, 1, 1_000_000);
    String noTtl = values.get(Option.SNAPSHOT_NO_TTL);
    snapshotNoTtl =
        noTtl == null || noTtl.isBlank() ? List.of() : List.of(noTtl.trim().split("\\s+"));
  }

  /** Options from the real sources: the agent argument string, system properties, environment. */
  public static AgentOptions fromEnvironment(String agentArgs) throws InvalidOptionException {
    return parse(agentArgs, System::getProperty, System::getenv, defaultAppName());
  }

  /** Options from explicit sources; {@code defaultApp} is used when no source names the app. */
  public static AgentOptions parse(
      String agentArgs,
      Function<String, String> systemProperties,
      Function<String, String> environment,
      String defaultApp)
      throws InvalidOptionException {
    Map<Option, String> arguments = parseArguments(agentArgs);
    Map<Option, String> values = new EnumMap<>(Option.class);
    for (Option option : Option.values()) {
      String value = arguments.get(option);
      if (value == null) {
        value = blankToNull(systemProperties.apply(option.systemProperty()));
      }
      if (value == null) {
        value = blankToNull(environment.apply(option.environmentVariable()));
      }
      if (value == null) {
        value = option == Option.APP ? defaultApp : option.defaultValue();
      }
      if (value != null) {
        values.put(option, value);
      }
    }
    return new AgentOptions(values);
  }

  private static Map<Option, String> parseArguments(String agentArgs)
      throws InvalidOptionException {
    Map<Option, String> arguments = new EnumMap<>(Option.class);
    if (agentArgs == null || agentArgs.isBlank()) {
      return arguments;
    }
    String[] pairs = agentArgs.split(",");
    for (int i = 0; i < pairs.length; i++) {
      String pair = pairs[i];
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        // never echoed: the text may be a value (a URL with a password) that lost its name
        throw new InvalidOptionException(
            "invalid agent argument #"
                + (i + 1)
                + " of "
                + pairs.length
                + " (it has no name=): expected name=value pairs separated by commas, e.g. "
                + "app=shop,flush=10s; a value containing a comma must be given as -Dkeywarm.<name> "
                + "or KEYWARM_<NAME>");
      }
      String key = pair.substring(0, equals).trim().toLowerCase(Locale.ROOT);
      Option option = Option.byKey(key);
      if (option == null) {
        // a name that is no word may be part of a value (a URL's query, a password): not echoed
        String named = key.matches("[a-z0-9_.-]{1,32}") ? "'" + key + "'" : "#" + (i + 1);
        throw new InvalidOptionException(
            "unknown option " + named + "; known options: " + knownKeys());
      }
      arguments.put(option, pair.substring(equals + 1).trim());
    }
    return arguments;
  }

  /** The application's name when none is configured: its main class or jar, made schema-safe. */
  static String defaultAppName() {
    String command = System.getProperty("sun.java.command", "");
    String first = command.isBlank() ? "app" : command.split("\\s+")[0];
    int slash = Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\'));
    String name = first.substring(slash + 1);
    if (name.endsWith(".jar")) {
      name = name.substring(0, name.length() - 4);
    } else if (name.contains(".")) {
      name = name.substring(name.lastIndexOf('.') + 1);
    }
    name = name.replaceAll("[^A-Za-z0-9._-]", "-");
    if (name.length() > 64) {
      name = name.substring(0, 64);
    }
    return name.isEmpty() ? "app" : name;
  }

  /** Every option of the standing warm, passed on to the runner together. */
  private static final List<Option> STANDING_OPTIONS =
      List.of(
          Option.STANDING,
          Option.STANDING_RATE,
          Option.STANDING_LEASE,
          Option.NEXT_HOUR_LEAD,
          Option.NEXT_HOUR_KEYS,
          Option.REFRESH_BELOW,
          Option.REFRESH_KEYS,
          Option.REFRESH_CHECK,
          Option.LAZY_MISSES,
          Option.LAZY_KEYS,
          Option.LAZY_CHECK,
          Option.LAZY_CLAIM,
          Option.SCHEDULED_EVERY,
          Option.SCHEDULED_KEYS);

  /** The runner's: 3 × its Redis timeout ({@code WarmDefaults.REDIS_TIMEOUT}, 2 s). */
  private static final Duration MIN_STANDING_LEASE = Duration.ofSeconds(6);

  /** The standing warm's techniques, as the runner spells them. */
  private static final List<String> STANDING_TECHNIQUES =
      List.of("next-hour", "refresh-ahead", "lazy", "scheduled");

  /**
   * Checked here so that a bad value is one line at start, not a surprise once the runner loads
   * (which checks them again, as it does for direct callers); passed on as written.
   */
  private static Map<String, String> standing(Map<Option, String> values)
      throws InvalidOptionException {
    String techniques = values.get(Option.STANDING).trim().toLowerCase(Locale.ROOT);
    if (techniques.isEmpty() || techniques.equals("off")) {
      return Map.of();
    }
    if (!techniques.equals("all")) {
      for (String name : techniques.split("[+\\s]+")) {
        if (!name.isEmpty() && !STANDING_TECHNIQUES.contains(name)) {
          throw invalid(
              Option.STANDING,
              values.get(Option.STANDING),
              "off, all or " + String.join("+", STANDING_TECHNIQUES) + " (any of them)");
        }
      }
    }
    positiveDouble(values, Option.STANDING_RATE, false);
    positiveDouble(values, Option.REFRESH_BELOW, true);
    Duration lead = positiveDuration(values, Option.NEXT_HOUR_LEAD);
    if (lead.compareTo(Duration.ofHours(1)) >= 0) {
      throw invalid(
          Option.NEXT_HOUR_LEAD, values.get(Option.NEXT_HOUR_LEAD), "a duration below 1h");
    }
    Duration lease = positiveDuration(values, Option.STANDING_LEASE);
    if (lease.compareTo(MIN_STANDING_LEASE) < 0) {
      throw invalid(
          Option.STANDING_LEASE,
          values.get(Option.STANDING_LEASE),
          "at least 6s (3 times the warm's 2 s Redis timeout, so one slow reply never loses it)");
    }
    for (Option duration :
        List.of(
            Option.REFRESH_CHECK, Option.LAZY_CHECK, Option.LAZY_CLAIM, Option.SCHEDULED_EVERY)) {
      positiveDuration(values, duration);
    }
    for (Option count :
        List.of(
            Option.NEXT_HOUR_KEYS,
            Option.REFRESH_KEYS,
            Option.LAZY_MISSES,
            Option.LAZY_KEYS,
            Option.SCHEDULED_KEYS)) {
      positiveInt(values, count, 1, 10_000_000);
    }
    Map<String, String> text = new java.util.LinkedHashMap<>();
    for (Option option : STANDING_OPTIONS) {
      text.put(option.key(), values.get(option).trim());
    }
    return java.util.Collections.unmodifiableMap(text);
  }

  /** A number above 0 (and below 1 if {@code share}). */
  private static double positiveDouble(Map<Option, String> values, Option option, boolean share)
      throws InvalidOptionException {
    String value = values.get(option);
    try {
      double parsed = Double.parseDouble(value.trim());
      if (parsed > 0 && !Double.isInfinite(parsed) && (!share || parsed < 1)) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(option, value, share ? "a number above 0 and below 1" : "a number above 0");
  }

  private static Duration positiveDuration(Map<Option, String> values, Option option)
      throws InvalidOptionException {
    String value = values.get(option);
    try {
      return Durations.parsePositive(value);
    } catch (IllegalArgumentException e) {
      throw invalid(option, value, e.getMessage());
    }
  }

  private static int shards(String value) throws InvalidOptionException {
    String text = value.trim();
    if (text.equalsIgnoreCase("auto")) {
      return 0;
    }
    try {
      int count = Integer.parseInt(text);
      if (count >= 1 && count <= dev.keywarm.schema.StatsShards.MAX) {
        return count;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(
        Option.SHARDS,
        value,
        "auto or a whole number from 1 to " + dev.keywarm.schema.StatsShards.MAX);
  }

  private static int positiveInt(Map<Option, String> values, Option option, int min, int max)
      throws InvalidOptionException {
    String value = values.get(option);
    try {
      int parsed = Integer.parseInt(value.trim().replace("_", ""));
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the accepted range
    }
    throw invalid(option, value, "a whole number from " + min + " to " + max);
  }

  /**
   * An hourly cap: at least one window's worth ({@code perWindow}, so a window is never written
   * only to be cut), by default twice that.
   */
  private static int hourCap(
      Map<Option, String> values, Option option, Option windowOption, int perWindow)
      throws InvalidOptionException {
    String value = values.get(option);
    if (value == null) {
      return (int) Math.min(MAX_HOUR_CAP, 2L * perWindow);
    }
    try {
      int parsed = Integer.parseInt(value.trim().replace("_", ""));
      if (parsed >= perWindow && parsed <= MAX_HOUR_CAP) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the accepted range
    }
    throw invalid(
        option,
        value,
        "a whole number from "
            + perWindow
            + " ("
            + windowOption.key()
            + ", one window's worth) to "
            + MAX_HOUR_CAP);
  }

  /** {@code tailflush}: from one flush window to one hour (a tail never outlives its hour). */
  private static Duration tailFlush(Map<Option, String> values, Duration flush)
      throws InvalidOptionException {
    Duration tail = positiveDuration(values, Option.TAIL_FLUSH);
    if (tail.compareTo(flush) < 0 || tail.compareTo(Duration.ofHours(1)) > 0) {
      throw invalid(
          Option.TAIL_FLUSH,
          values.get(Option.TAIL_FLUSH),
          "a duration from flush (" + flush.toMillis() + "ms) to 1h, such as 5m");
    }
    return tail;
  }

  private static boolean onOff(Map<Option, String> values, Option option)
      throws InvalidOptionException {
    String value = values.get(option).trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> throw invalid(option, value, "on or off");
    };
  }

  private static KeyPrivacy keyPrivacy(Map<Option, String> values) throws InvalidOptionException {
    String mode = values.get(Option.KEYS).trim().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "plain":
        return KeyPrivacy.PLAIN;
      case "hashed":
        String secret = values.get(Option.KEY_SECRET);
        if (secret == null || secret.length() < 16) {
          throw new InvalidOptionException(
              "keys=hashed needs keysecret of at least 16 characters "
                  + "(set KEYWARM_KEYSECRET, the same on every instance)");
        }
        return KeyPrivacy.hashed(
            secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            positiveInt(values, Option.KEY_PREFIX, 0, 16));
      case "pattern":
        return KeyPrivacy.pattern(positiveInt(values, Option.KEY_PREFIX, 0, 16));
      default:
        throw invalid(Option.KEYS, mode, "plain, hashed or pattern");
    }
  }

  private static AgentLog.Level logLevel(String value) throws InvalidOptionException {
    try {
      return AgentLog.Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(Option.LOG, value, "debug, info, warn or off");
    }
  }

  private static InvalidOptionException invalid(Option option, String value, String expected) {
    return new InvalidOptionException(
        "invalid option " + option.key() + "='" + value + "': expected " + expected);
  }

  /** Stored key bytes per structure: the option, else 1/32 of the heap within 8-64 MB. */
  private static long keyBytes(String value) throws InvalidOptionException {
    if (value == null) {
      long heap = Runtime.getRuntime().maxMemory();
      return Math.max(8L << 20, Math.min(64L << 20, heap / 32));
    }
    long bytes = parseSize(value, 1L << 20, 16L << 30);
    if (bytes < 0) {
      throw invalid(Option.KEY_BYTES, value, "a size from 1m to 16g, such as 16m");
    }
    return bytes;
  }

  private static long size(Map<Option, String> values, Option option, long min, long max)
      throws InvalidOptionException {
    long bytes = parseSize(values.get(option), min, max);
    if (bytes < 0) {
      throw invalid(
          option, values.get(option), "a size from " + sizeText(min) + " to " + sizeText(max));
    }
    return bytes;
  }

  private static String sizeText(long bytes) {
    return bytes >= 1L << 30
        ? (bytes >> 30) + "g"
        : bytes >= 1L << 20 ? (bytes >> 20) + "m" : (bytes >> 10) + "k";
  }

  /** {@code 16m}, {@code 512k}, {@code 2g}, {@code 1048576}: bytes, or -1 if malformed. */
  private static long parseSize(String value, long min, long max) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      int shift =
          switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
          };
      long bytes = amount << shift;
      if (amount < (1L << (62 - shift)) && bytes >= min && bytes <= max) {
        return bytes;
      }
    }
    return -1;
  }

  private static String knownKeys() {
    StringBuilder known = new StringBuilder();
    for (Option option : Option.values()) {
      known.append(known.length() == 0 ? "" : ", ").append(option.key());
    }
    return known.toString();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  public String app() {
    return app;
  }

  /** The configured stats Redis, or null to use the first Redis the application connects to. */
  public RedisEndpoint redis() {
    return redis;
  }

  public Duration flushInterval() {
    return flushInterval;
  }

  public Duration retention() {
    return retention;
  }

  public int maxKeys() {
    return maxKeys;
  }

  /** Members each hourly key set keeps (trimmed past it by 10 %, coldest first). */
  public int hourKeys() {
    return hourKeys;
  }

  /** Shards of each hour's stats; 0: auto (24 on a Redis Cluster, 1 on a standalone Redis). */
  public int shards() {
    return shards;
  }

  /** Keys of each window written with it; the rest wait in the tail. */
  public int hotKeys() {
    return hotKeys;
  }

  /** How often the tail (keys below {@link #hotKeys()}, and pairs) is written. */
  public Duration tailFlush() {
    return tailFlush;
  }

  /** Members the hourly pairs set keeps (trimmed past it by 10 %, coldest first). */
  public int hourPairs() {
    return hourPairs;
  }

  public int backlogEntries() {
    return backlogEntries;
  }

  /** Stored key bytes the window's summary may hold, and again the flush backlog. */
  public long keyBytes() {
    return keyBytes;
  }

  public int bufferSlots() {
    return bufferSlots;
  }

  public Duration loadWindow() {
    return loadWindow;
  }

  public int pairKeys() {
    return pairKeys;
  }

  public Duration pairTime() {
    return pairTime;
  }

  public int maxPairs() {
    return maxPairs;
  }

  public KeyPrivacy keyPrivacy() {
    return keyPrivacy;
  }

  public Duration timeout() {
    return timeout;
  }

  public Duration shutdownFlush() {
    return shutdownFlush;
  }

  public boolean recording() {
    return recording;
  }

  public WarmMode warm() {
    return warm;
  }

  /** The cache Redis to watch and warm, or null for the application's first Redis. */
  public RedisEndpoint cache() {
    return cache;
  }

  public List<String> warmArgs() {
    return warmArgs;
  }

  /** {@code readiness=auto} with a start warm: Spring Boot's readiness waits for it. */
  public boolean readinessGate() {
    return readinessGate;
  }

  public Duration readinessTimeout() {
    return readinessTimeout;
  }

  /** {@code micrometer=auto}: register the meters when the application has Micrometer. */
  public boolean micrometer() {
    return micrometer;
  }

  /** Host of the built-in Prometheus endpoint, or null for every interface. */
  public String prometheusHost() {
    return prometheusHost;
  }

  /** Port of the built-in Prometheus endpoint (0: any free one), or -1 for none. */
  public int prometheusPort() {
    return prometheusPort;
  }

  /** The OTLP/HTTP endpoint to push the meters to, or null. */
  public String otlpEndpoint() {
    return otlpEndpoint;
  }

  public Duration otlpInterval() {
    return otlpInterval;
  }

  public int metricPatterns() {
    return metricPatterns;
  }

  /**
   * The standing warm's options as text, name → value, every one of them (defaults included), for
   * the runner's {@code StandingSettings.fromOptions}; empty when {@code standing=off}.
   */
  public Map<String, String> standing() {
    return standing;
  }

  /** {@code rewarm=on-delete}: hot keys the application deletes are loaded again. */
  public boolean rewarmOnDelete() {
    return rewarmOnDelete;
  }

  public Duration rewarmDelay() {
    return rewarmDelay;
  }

  public Duration restartCheck() {
    return restartCheck;
  }

  public AgentLog.Level logLevel() {
    return logLevel;
  }

  /**
   * Whether to keep the hot-set snapshot: {@code snapshot=on}, or {@code auto} with a warm after
   * restarts. Either way only with plain keys (a hashed or pattern key cannot be read back) and a
   * stats Redis apart from the cache (a snapshot in the cache would vanish with it); {@link
   * #snapshotRefusal()} says why not.
   */
  public boolean snapshot() {
    return snapshotRefusal() == null
        && (snapshotMode.equals("on") || snapshotMode.equals("auto") && warm.onRestart());
  }

  /** Why no snapshot can be kept with these options, or null if one can. */
  public String snapshotRefusal() {
    if (snapshotMode.equals("off")) {
      return "snapshot=off";
    }
    if (keyPrivacy != KeyPrivacy.PLAIN) {
      return "keys=hashed or keys=pattern: the agent keeps no key it could read back";
    }
    if (redis == null || redis.sameServer(cache)) {
      return "no stats Redis apart from the cache (set redis=...): a snapshot kept in the cache"
          + " would vanish with it";
    }
    return null;
  }

  /** True if the user asked for a snapshot explicitly ({@code snapshot=on}). */
  public boolean snapshotRequested() {
    return snapshotMode.equals("on");
  }

  public int snapshotKeys() {
    return snapshotKeys;
  }

  public long snapshotBytes() {
    return snapshotBytes;
  }

  public long snapshotValueBytes() {
    return snapshotValueBytes;
  }

  /** Keys read per second; 0 for auto. */
  public int snapshotRate() {
    return snapshotRate;
  }

  public List<String> snapshotNoTtl() {
    return snapshotNoTtl;
  }

  /** A one-line summary for the start-up log; the endpoint prints itself without secrets. */
  @Override
  public String toString() {
    return "app="
        + app
        + ", redis="
        + (redis == null ? "(the application's first Redis)" : redis)
        + ", flush="
        + flushInterval.toMillis()
        + "ms, maxkeys="
        + maxKeys
        + ", hotkeys="
        + hotKeys
        + ", tailflush="
        + tailFlush.toSeconds()
        + "s"
        + ", hourkeys="
        + hourKeys
        + ", shards="
        + (shards == 0 ? "auto" : Integer.toString(shards))
        + ", retention="
        + retention.toHours()
        + "h";
  }
}
