package dev.keywarm.runner.standing;

import dev.keywarm.runner.WarmRunner;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.plan.PlanCodec;
import dev.keywarm.schema.plan.PlanMeta;
import dev.keywarm.schema.plan.WarmPlan;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.JedisPooled;

/**
 * A stats and a cache Redis as the agent and the analyzer leave them: plans published through the
 * schema's {@link PlanCodec}, observed TTLs and misses written to the hourly sets the agent's
 * flusher writes; and runners configured for a test (no plan snapshot, no ServiceLoader, no JMX).
 */
final class StandingFixture implements AutoCloseable {

  static final String APP = "shop";
  static final Instant NOW = Instant.parse("2026-11-23T10:30:00Z");

  final JedisPooled stats;
  final JedisPooled cache;
  final KeySchema schema = KeySchema.forApp(APP);
  private final String statsUri;
  private final String cacheUri;

  StandingFixture(RedisServerExtension stats, RedisServerExtension cache) {
    stats.server().flushAll();
    cache.server().flushAll();
    this.statsUri = stats.server().uri();
    this.cacheUri = cache.server().uri();
    this.stats = new JedisPooled(java.net.URI.create(statsUri));
    this.cache = new JedisPooled(java.net.URI.create(cacheUri));
  }

  /**
   * Publishes a plan as the analyzer does: {@code hours} maps an hour of day to its keys, best
   * first; {@code overall} the overall ranking.
   */
  void publish(Map<Integer, List<String>> hours, List<String> overall) {
    Map<Integer, List<byte[]>> members = new HashMap<>();
    hours.forEach((h, keys) -> members.put(h, keys.stream().map(StandingFixture::bytes).toList()));
    publishMembers(members, overall.stream().map(StandingFixture::bytes).toList());
  }

  /**
   * {@link #publish} with members as bytes: hash-field members ({@code FieldMember}) among them.
   */
  void publishMembers(Map<Integer, List<byte[]>> hours, List<byte[]> overall) {
    List<List<WarmPlan.Entry>> byHour = new ArrayList<>();
    for (int h = 0; h < WarmPlan.HOURS_OF_DAY; h++) {
      byHour.add(ranked(hours.getOrDefault(h, List.of())));
    }
    WarmPlan plan = new WarmPlan(ranked(overall), byHour, List.of(), PlanMeta.EMPTY);
    PlanCodec.publish(
        plan, schema, PlanCodec.newGeneration(NOW), Duration.ofHours(1), new DirectWrites());
  }

  private static List<WarmPlan.Entry> ranked(List<byte[]> keys) {
    List<WarmPlan.Entry> entries = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      entries.add(new WarmPlan.Entry(keys.get(i), keys.size() - i));
    }
    return entries;
  }

  /** The TTL the application gave {@code key}, as the agent records it (seconds; -1: none). */
  void observedTtl(String key, long seconds, Instant at) {
    observedTtl(bytes(key), seconds, at);
  }

  void observedTtl(byte[] member, long seconds, Instant at) {
    stats.zadd(bytes(schema.ttls(HourBucket.of(at))), seconds, member);
  }

  /** {@code n} more GETs of {@code key} that found nothing, as a flush adds them. */
  void misses(String key, double n, Instant at) {
    stats.zincrby(schema.hourly(HourBucket.of(at), HourlySet.MISSES), n, key);
  }

  /**
   * The same with {@code shards} stats shards (schema version 2): into the key's shard's set, the
   * hour's meta naming the shard count.
   */
  void misses(String key, double n, Instant at, int shards) {
    HourBucket hour = HourBucket.of(at);
    dev.keywarm.schema.StatsShards layout = schema.shards(shards);
    byte[] member = bytes(key);
    stats.zincrby(
        bytes(schema.hourly(hour, HourlySet.MISSES, schema.shard(layout, layout.of(member)))),
        n,
        member);
    stats.hincrBy(schema.meta(hour), KeySchema.shardsField(shards), 1);
  }

  WarmRunner.Builder runner(String instance, Clock clock) {
    return WarmRunner.builder()
        .app(APP)
        .redis(cacheUri)
        .statsRedis(statsUri)
        .planSnapshot(null)
        .serviceLoaders(false)
        .jmx(false)
        .instanceId(instance)
        .redisTimeout(Duration.ofMillis(500))
        .redisGiveUpAfter(Duration.ofMillis(200))
        .clock(clock);
  }

  static StandingSettings settings(String... nameValue) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("standinglease", "3s"); // the shortest: hand-overs within a second
    for (int i = 0; i + 1 < nameValue.length; i += 2) {
      options.put(nameValue[i], nameValue[i + 1]);
    }
    return StandingSettings.fromOptions(options);
  }

  static Clock fixed(Instant at) {
    return Clock.fixed(at, ZoneOffset.UTC);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, Duration.ofSeconds(10), condition);
  }

  static void await(String what, Duration within, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** The live threads whose names start with {@code keywarm-standing}. */
  static List<String> standingThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("keywarm-standing")) {
        names.add(t.getName());
      }
    }
    return names;
  }

  /** A local port nothing listens on. */
  static int deadPort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  String statsUri() {
    return statsUri;
  }

  String cacheUri() {
    return cacheUri;
  }

  @Override
  public void close() {
    stats.close();
    cache.close();
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void set(Instant at) {
      now = at;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** The codec's writes, sent one by one (a test plan is small). */
  private final class DirectWrites implements PlanCodec.Writes {
    @Override
    public void zadd(String key, List<WarmPlan.Entry> entries) {
      Map<byte[], Double> members = new HashMap<>();
      entries.forEach(e -> members.put(e.member(), e.score()));
      stats.zadd(bytes(key), members);
    }

    @Override
    public void hset(String key, Map<String, String> fields) {
      stats.hset(key, fields);
    }

    @Override
    public void expire(String key, long seconds) {
      stats.expire(key, seconds);
    }

    @Override
    public void set(String key, String value, long seconds) {
      stats.setex(key, seconds, value);
    }

    @Override
    public void sync() {}
  }
}
