package dev.keywarm.runner;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.PairMember;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.JedisPooled;

/** Writes plans and hourly sets the way the analyzer and the agent do, through KeySchema. */
final class PlanFixture implements AutoCloseable {

  static final Instant NOW = Instant.parse("2026-11-23T10:30:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  final JedisPooled jedis;
  final KeySchema schema;

  PlanFixture(String uri, String app) {
    this.jedis = new JedisPooled(java.net.URI.create(uri));
    this.schema = KeySchema.forApp(app);
  }

  /** Plan generation {@code gen}: this hour's set and the overall set, member → score. */
  void plan(String gen, Map<String, Double> hour, Map<String, Double> overall) {
    if (!hour.isEmpty()) {
      jedis.zadd(schema.planHour(gen, HourBucket.of(NOW).hourOfDay()), hour);
    }
    if (!overall.isEmpty()) {
      jedis.zadd(schema.planOverall(gen), overall);
    }
    jedis.hset(schema.planMeta(gen), Map.of("expected_coverage", "0.9"));
    jedis.set(schema.currentPlan(), gen);
  }

  /**
   * Plan generation {@code gen} with this hour's members as bytes (hash-field members among them),
   * best first: scores descending.
   */
  void planMembers(String gen, List<byte[]> hour) {
    Map<byte[], Double> members = new java.util.HashMap<>();
    for (int i = 0; i < hour.size(); i++) {
      members.put(hour.get(i), (double) (hour.size() - i));
    }
    jedis.zadd(bytes(schema.planHour(gen, HourBucket.of(NOW).hourOfDay())), members);
    jedis.hset(schema.planMeta(gen), Map.of("expected_coverage", "0.9"));
    jedis.set(schema.currentPlan(), gen);
  }

  /** The member of the field {@code field} of the hash {@code key}. */
  static byte[] field(String key, String field) {
    return FieldMember.encode(bytes(key), bytes(field));
  }

  void nextHourPlan(String gen, Map<String, Double> next) {
    jedis.zadd(schema.planHour(gen, HourBucket.of(NOW).plusHours(1).hourOfDay()), next);
  }

  void pair(String gen, String a, String b, double lift) {
    jedis.zadd(bytes(schema.planPairs(gen)), lift, PairMember.encode(bytes(a), bytes(b)));
  }

  /** Hourly stats {@code hoursAgo} before NOW. */
  void hourly(int hoursAgo, KeySchema.HourlySet set, String key, double count) {
    jedis.zincrby(schema.hourly(HourBucket.of(NOW).plusHours(-hoursAgo), set), count, key);
  }

  /** {@code n} keys {@code prefix0..prefix(n-1)} with descending scores. */
  static Map<String, Double> ranked(String prefix, int n) {
    Map<String, Double> m = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(prefix + i, (double) (n - i));
    }
    return m;
  }

  static List<String> names(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    jedis.close();
  }
}
