package dev.keywarm.runner.standing;

import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.engine.TtlChoice;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.runner.plan.WarmOrder;
import dev.keywarm.schema.HourBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code next-hour}: {@code nexthourlead} before each UTC hour (by the service's clock), the keys
 * of that hour's plan — the analyzer's plan for its hour of day, or the fallback ranking's, at most
 * {@code nexthourkeys}, best first — that are not in the cache are loaded and written with {@code
 * NX}; present ones are left alone and not loaded. Once per hour: the hour counts as done only when
 * its queue has drained without a failed call; a round that lost keys to a Redis outage or a failed
 * round is read and queued again (present keys cost one {@code EXISTS}). A service that starts (or
 * takes the lease) inside the lead warms the coming hour at once. A key whose TTL is shorter than
 * the time left to the hour would expire before the hour it is loaded for: it is not loaded (known
 * before the load: the observed, plan's or configured TTL) or not written (the loader's own TTL),
 * counted {@code ttl-too-short}. A round that the rate cannot finish before the hour is logged. A
 * plan without keys for that hour gives nothing to do (the overall plan is the scheduled
 * technique's).
 */
final class NextHourWarm extends Technique {

  /** The hour last warmed for, so each is warmed once; -1 for none. */
  private long warmedHour = -1;

  /** The hour whose keys are queued; -1 for none. */
  private long queuedHour = -1;

  private long hourStartMillis;

  NextHourWarm() {
    super(StandingTechnique.NEXT_HOUR);
  }

  @Override
  void leaseTaken() {
    warmedHour = -1;
    queuedHour = -1;
  }

  @Override
  void poll(StandingContext context, Instant now) {
    HourBucket coming = HourBucket.of(now).plusHours(1);
    long leadMillis = context.standing.nextHourLead().toMillis();
    if (coming.epochHour() == warmedHour
        || now.toEpochMilli() < coming.startMillis() - leadMillis) {
      return;
    }
    if (coming.epochHour() == queuedHour) {
      if (hasWork()) {
        return;
      }
      if (!roundFailed) {
        warmedHour = coming.epochHour(); // drained: this hour is done
        return;
      }
      // some of the round's calls failed: read and queue the hour again
    }
    WarmOrder order =
        context.resolve(
            Instant.ofEpochMilli(coming.startMillis()), context.standing.nextHourKeys());
    List<byte[]> keys = new ArrayList<>();
    double weight = 0;
    for (PlanEntry entry : order.primary()) {
      if (entry.source() == PlanEntry.Source.HOUR) {
        keys.add(entry.key());
        weight += entry.weight();
      }
    }
    if (coming.epochHour() != queuedHour) {
      counters.startRound(weight);
    }
    queuedHour = coming.epochHour();
    hourStartMillis = coming.startMillis();
    roundFailed = false;
    TtlChoice ttls = context.ttls(context.observedTtls(keys, order.planTtls()));
    for (PlanEntry entry : order.primary()) {
      if (entry.source() == PlanEntry.Source.HOUR) {
        offer(entry.key(), entry.weight(), ttls);
      }
    }
    long leftMillis = Math.max(0, coming.startMillis() - now.toEpochMilli());
    WarmLog.info(
        "standing warm: next-hour: "
            + keys.size()
            + " keys of the "
            + String.format("%02d", coming.hourOfDay())
            + ":00 UTC plan ("
            + order.source()
            + "), "
            + leftMillis / 1000
            + " s before the hour");
    double needMillis = 1000.0 * pendingCount() / context.standing.rate();
    if (needMillis > leftMillis) {
      WarmLog.warn(
          "standing warm: next-hour: "
              + pendingCount()
              + " keys at "
              + context.standing.rate()
              + " loads/s take up to "
              + Math.round(needMillis / 1000)
              + " s, more than the "
              + leftMillis / 1000
              + " s left before the hour (batched loaders need fewer calls; raise standingrate or"
              + " nexthourlead)");
    }
  }

  private long leftMillis(StandingContext context) {
    return hourStartMillis - context.clock.millis();
  }

  @Override
  Object prepare(StandingContext context, Candidate candidate) {
    long left = leftMillis(context);
    if (left > 0) {
      long ttl =
          candidate.ttls().beforeLoad(candidate.key(), context.loads.loaderOf(candidate.key()));
      if (ttl > 0 && ttl < left) {
        counters.ttlTooShort.incrementAndGet(); // would expire before its hour
        return null;
      }
    }
    return absent(context, candidate);
  }

  @Override
  void write(StandingContext context, Candidate candidate, Object checked, KeyLoads.Loaded loaded) {
    long left = leftMillis(context);
    long own = loaded.value().ttl().map(Duration::toMillis).orElse(0L);
    if (left > 0 && own > 0 && own < left) {
      counters.ttlTooShort.incrementAndGet();
      return;
    }
    writeNx(context, candidate, loaded);
  }
}
