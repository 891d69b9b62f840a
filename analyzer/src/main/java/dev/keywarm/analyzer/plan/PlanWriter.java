package dev.keywarm.analyzer.plan;

import dev.keywarm.schema.KeySchema;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Writes a {@link WarmPlan} as a new generation and then publishes it. The contract the warm-runner
 * reads directly (names from {@link KeySchema}):
 * <ol>
 *   <li>{@code GET currentPlan()} → generation id (absent: no plan yet);</li>
 *   <li>{@code planOverall(gen)}, {@code planHour(gen, h)}: sorted sets, member = raw cache key,
 *       score = expected reads, warm highest first; an hour without data has no key;</li>
 *   <li>{@code planPairs(gen)}: member = {@code PairMember(a, b)}, score = lift of b given a;</li>
 *   <li>{@code planMeta(gen)}: hash of generated_at, range_from, range_to, k, expected_coverage,
 *       expected_coverage_hourly, … (see analyzer/README.md).</li>
 * </ol>
 * Every key of the generation is written and given its expiry before {@code currentPlan()} is SET,
 * in a separate round trip after the generation's pipelines have all succeeded, so a reader that
 * follows the pointer never sees a half-written plan; an aborted write leaves an unreferenced
 * generation that expires on its own. Writes go in pipelines of {@value #CHUNK} members per ZADD.
 */
public final class PlanWriter {

  static final int CHUNK = 1_000;
  private static final DateTimeFormatter GEN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jedis jedis;
  private final KeySchema schema;

  public PlanWriter(Jedis jedis, KeySchema schema) {
    this.jedis = jedis;
    this.schema = schema;
  }

  /** @return the generation id now in {@code currentPlan()} */
  public String write(WarmPlan plan, Duration ttl, Instant now) {
    String generation = GEN_TIME.format(now) + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
    long seconds = Math.max(1, ttl.toSeconds());
    List<Response<?>> pending = new ArrayList<>();
    Pipeline p = jedis.pipelined();
    zadd(p, pending, bytes(schema.planOverall(generation)), plan.overall(), seconds);
    for (int h = 0; h < plan.hours().size(); h++) {
      if (!plan.hours().get(h).isEmpty()) {
        zadd(p, pending, bytes(schema.planHour(generation, h)), plan.hours().get(h), seconds);
      }
    }
    zadd(p, pending, bytes(schema.planPairs(generation)), plan.pairs(), seconds);
    Map<String, String> meta = new LinkedHashMap<>(plan.meta());
    meta.put("generation", generation);
    meta.put("expires_in_seconds", Long.toString(seconds));
    pending.add(p.hset(schema.planMeta(generation), meta));
    pending.add(p.expire(schema.planMeta(generation), seconds));
    p.sync();
    for (Response<?> r : pending) {
      r.get(); // throws on an error reply: then the pointer is not moved
    }
    jedis.set(schema.currentPlan(), generation, SetParams.setParams().ex(seconds));
    return generation;
  }

  private static void zadd(Pipeline p, List<Response<?>> pending, byte[] key,
      List<WarmPlan.Entry> entries, long seconds) {
    if (entries.isEmpty()) {
      return;
    }
    for (int from = 0; from < entries.size(); from += CHUNK) {
      Map<byte[], Double> chunk = new HashMap<>();
      for (WarmPlan.Entry e : entries.subList(from, Math.min(entries.size(), from + CHUNK))) {
        chunk.put(e.member(), e.score());
      }
      pending.add(p.zadd(key, chunk));
    }
    pending.add(p.expire(key, seconds));
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
