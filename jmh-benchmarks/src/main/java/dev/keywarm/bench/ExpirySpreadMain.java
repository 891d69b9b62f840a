package dev.keywarm.bench;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.WarmResult;
import dev.keywarm.runner.WarmRunner;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Claim: a warm never schedules a second herd — after a warm of 20 000 keys whose application TTL
 * is 10 min, no 1-second window holds more than 2 % of the warmed keys' expiries, and every warmed
 * TTL is within the application's observed TTL.
 *
 * <p>What it measures: N keys ranked in the hourly hits set and their observed TTL (600 s) in the
 * hour's {@code ttl} set, as the agent records them; a loader that names no TTL, so the runner
 * takes the observed one; a warm at the runner's default jitter, then (cache flushed) the same warm
 * with {@code ttlJitter(0)}, the behaviour before jitter. After each, {@code PTTL} of every key:
 * expiry instants (now + PTTL) counted per second; printed: the busiest second's share, the seconds
 * the expiries spread over, the TTL range against the observed TTL.
 *
 * <p>What would make it wrong: a warm slower than the spread (then the spread is the warm's own,
 * not the jitter's; the rate is unlimited here, the warm takes about a second), or a loader TTL (it
 * would bypass the observed one; the loader names none). Args: {@code [--keys N=20000] [--ttl
 * SECONDS=600]}. Two private redis-servers from test-support.
 */
public final class ExpirySpreadMain {

  private static final String APP = "bench";

  private ExpirySpreadMain() {}

  public static void main(String[] args) throws Exception {
    int keys = 20_000;
    int ttlSeconds = 600;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--keys" -> keys = Integer.parseInt(args[i + 1]);
        case "--ttl" -> ttlSeconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    try (RedisServer cache = RedisServer.start();
        RedisServer stats = RedisServer.start();
        JedisPooled cacheClient = new JedisPooled(cache.host(), cache.port());
        JedisPooled statsClient = new JedisPooled(stats.host(), stats.port())) {
      KeySchema schema = KeySchema.forApp(APP);
      HourBucket hour = HourBucket.ofEpochMillis(System.currentTimeMillis());
      Map<String, Double> hits = new HashMap<>();
      Map<String, Double> ttls = new HashMap<>();
      for (int i = 0; i < keys; i++) {
        hits.put("item:" + i, (double) (keys - i));
        ttls.put("item:" + i, (double) ttlSeconds);
      }
      statsClient.zadd(schema.hourly(hour, HourlySet.HITS), hits);
      statsClient.zadd(schema.ttls(hour), ttls);
      System.out.printf(
          Locale.ROOT,
          "%d keys, observed TTL %d s, loader without TTL, rate unlimited%n",
          keys,
          ttlSeconds);
      for (Double jitter : new Double[] {null, 0.0}) {
        cacheClient.flushAll();
        WarmRunner.Builder builder =
            WarmRunner.builder()
                .app(APP)
                .redis(cache.uri())
                .statsRedis(stats.uri())
                .planSnapshot(null)
                .serviceLoaders(false)
                .jmx(false)
                .ratePerSecond(0)
                .maxKeys(keys)
                .loader("item:*", key -> LoadedValue.of("v".getBytes(StandardCharsets.UTF_8)));
        if (jitter != null) {
          builder.ttlJitter(jitter);
        }
        WarmRunner runner = builder.build();
        WarmResult result = runner.run();
        report(
            jitter == null
                ? "default jitter " + runner.settings().ttlJitter()
                : "jitter " + jitter + " (before jitter)",
            result,
            cacheClient,
            keys,
            ttlSeconds);
      }
    }
  }

  private static void report(
      String label, WarmResult result, JedisPooled cache, int keys, int ttlSeconds) {
    long now = System.currentTimeMillis();
    List<Response<Long>> replies = new ArrayList<>(keys);
    try (Pipeline pipeline = cache.pipelined()) {
      for (int i = 0; i < keys; i++) {
        replies.add(pipeline.pttl("item:" + i));
      }
      pipeline.sync();
    }
    TreeMap<Long, Integer> perSecond = new TreeMap<>();
    long shortest = Long.MAX_VALUE;
    long longest = Long.MIN_VALUE;
    for (Response<Long> reply : replies) {
      long ttl = reply.get();
      shortest = Math.min(shortest, ttl);
      longest = Math.max(longest, ttl);
      perSecond.merge((now + ttl) / 1000, 1, Integer::sum);
    }
    int busiest = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "%-28s warmed %d in %d ms; busiest second %d keys = %.2f %% of expiries (target <= 2 %%);"
            + " expiries over %d s; TTLs %.1f-%.1f s (observed %d s: %s)%n",
        label,
        result.progress().warmed(),
        result.progress().elapsed().toMillis(),
        busiest,
        100.0 * busiest / keys,
        perSecond.isEmpty() ? 0 : perSecond.lastKey() - perSecond.firstKey() + 1,
        shortest / 1000.0,
        longest / 1000.0,
        ttlSeconds,
        longest <= ttlSeconds * 1000L && shortest > 0 ? "all within" : "NOT all within");
  }
}
