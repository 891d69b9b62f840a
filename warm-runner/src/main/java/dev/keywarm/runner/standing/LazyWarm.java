package dev.keywarm.runner.standing;

import dev.keywarm.runner.engine.TtlChoice;
import dev.keywarm.runner.plan.HourShards;
import dev.keywarm.runner.plan.KeyBytes;
import dev.keywarm.runner.plan.ObservedTtls;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Tuple;

/**
 * {@code lazy}: every {@code lazycheck}, the current UTC hour's {@code misses} set (the agent's
 * flushers add each key's GETs that found nothing) is read from the top, at most {@code lazykeys}
 * members and only those with at least {@code lazymisses} misses in the hour ({@code
 * ZREVRANGEBYSCORE … LIMIT} in each of the hour's shards, merged: {@link #missed}), so a look costs
 * the same however many keys were missed once). A key whose count grew by at least {@code
 * lazymisses} since the last look, and that is not in the cache, is claimed for the fleet (only a
 * key with a loader: {@link Technique#handleNext} counts the others {@code no-loader} before any
 * claim) ({@code SET standingClaim(key) <instance> NX PX lazyclaim} in the stats Redis), loaded and
 * written with {@code NX}. The claim outlives the lease: after a hand-over the new holder, which
 * has no last look and so counts the hour's misses from zero, finds the claims of the keys loaded
 * before and loads none of them again while they last. A key the claim keeps from another instance
 * counts as {@code skipped}.
 *
 * <p>Each queued key keeps the TTL choice of the look that queued it. A look is skipped while more
 * than {@code lazykeys} keys are still queued, so the queue stays bounded however slow the loads.
 *
 * <p>Memory: the last count of at most {@value #REMEMBERED} × {@code lazykeys} keys (least recently
 * read forgotten first), cleared at every hour, as each hour has a set of its own.
 */
final class LazyWarm extends Technique {

  static final int REMEMBERED = 4;

  private long lastLookNanos;
  private boolean looked;
  private long hour = Long.MIN_VALUE;
  private final Map<KeyBytes, Double> lastCount = new LinkedHashMap<>();

  LazyWarm() {
    super(StandingTechnique.LAZY);
  }

  @Override
  void leaseTaken() {
    looked = false;
    lastCount.clear();
  }

  @Override
  void poll(StandingContext context, Instant now) {
    long nanos = System.nanoTime();
    if (looked && nanos - lastLookNanos < context.standing.lazyCheck().toNanos()) {
      return;
    }
    if (pendingCount() > context.standing.lazyKeys()) {
      return; // the last looks are still being worked through: this one waits
    }
    looked = true;
    lastLookNanos = nanos;
    HourBucket current = HourBucket.of(now);
    if (current.epochHour() != hour) {
      hour = current.epochHour();
      lastCount.clear();
    }
    int limit = context.standing.lazyKeys();
    int threshold = context.standing.lazyMisses();
    double newMisses = 0;
    List<Candidate> due = new ArrayList<>();
    for (Map.Entry<KeyBytes, Double> t : missed(context, current, threshold, limit)) {
      KeyBytes key = t.getKey();
      double count = t.getValue();
      Double before = lastCount.remove(key); // re-inserted last: most recently read
      lastCount.put(key, count);
      double grown = count - (before == null ? 0 : before);
      newMisses += Math.max(0, grown);
      if (grown >= threshold) {
        due.add(new Candidate(key.bytes(), grown, null));
      }
    }
    forgetOldest(limit * REMEMBERED);
    if (due.isEmpty()) {
      return;
    }
    counters.startRound(newMisses);
    List<byte[]> keys = new ArrayList<>(due.size());
    due.forEach(c -> keys.add(c.key()));
    TtlChoice ttls = context.ttls(context.observedTtls(keys, ObservedTtls.none()));
    due.forEach(c -> offer(c.key(), c.weight(), ttls));
  }

  /**
   * The hour's most missed keys, at most {@code limit} with at least {@code threshold} misses: the
   * top of each shard's {@code misses} set ({@link HourShards}, one pipeline, one-key commands), a
   * key's counts summed over the shards that hold it, highest first. With two shard counts in one
   * hour a key under the threshold in each shard is not seen, although its sum might pass it.
   */
  private static List<Map.Entry<KeyBytes, Double>> missed(
      StandingContext context, HourBucket current, int threshold, int limit) {
    HourShards hour = HourShards.of(context.stats, context.schema, current);
    List<Response<List<Tuple>>> replies = new ArrayList<>(hour.shards().size());
    try (AbstractPipeline pipeline = context.stats.pipelined()) {
      for (KeySchema.Shard shard : hour.shards()) {
        replies.add(
            pipeline.zrevrangeByScoreWithScores(
                KeySchema.ascii(context.schema.hourly(current, HourlySet.MISSES, shard)),
                Double.POSITIVE_INFINITY,
                threshold,
                0,
                limit));
      }
      pipeline.sync();
    }
    Map<KeyBytes, Double> counts = new LinkedHashMap<>();
    for (Response<List<Tuple>> reply : replies) {
      for (Tuple t : reply.get()) {
        counts.merge(new KeyBytes(t.getBinaryElement()), t.getScore(), Double::sum);
      }
    }
    List<Map.Entry<KeyBytes, Double>> missed = new ArrayList<>(counts.entrySet());
    missed.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    return missed.subList(0, Math.min(limit, missed.size()));
  }

  private void forgetOldest(int keep) {
    var it = lastCount.entrySet().iterator();
    for (int excess = lastCount.size() - keep; excess > 0 && it.hasNext(); excess--) {
      it.next();
      it.remove();
    }
  }

  @Override
  Object prepare(StandingContext context, Candidate candidate) {
    byte[] key = candidate.key();
    if (absent(context, candidate) == null) {
      return null;
    }
    String claimed =
        context.stats.set(
            context.schema.standingClaim(key),
            context.warm.instanceId().getBytes(StandardCharsets.UTF_8),
            SetParams.setParams().nx().px(context.standing.lazyClaim().toMillis()));
    if (!"OK".equals(claimed)) {
      counters.skipped.incrementAndGet(); // another instance loads (or loaded) it
      return null;
    }
    return Boolean.TRUE;
  }

  @Override
  void write(StandingContext context, Candidate candidate, Object checked, KeyLoads.Loaded loaded) {
    writeNx(context, candidate, loaded);
  }
}
