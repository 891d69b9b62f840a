package dev.keywarm.runner.standing;

import dev.keywarm.runner.engine.TtlChoice;
import dev.keywarm.runner.plan.PlanEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scheduled}: every {@code scheduledevery} — the first time as soon as this instance holds
 * the lease — the top {@code scheduledkeys} keys of the current order (this hour's plan, then the
 * overall one) that are not in the cache are loaded and written with {@code NX}, like a normal
 * warm; present keys are neither loaded nor touched. The interval is counted on the monotonic clock
 * from the start of a round, so a slow round does not shift the next one.
 */
final class ScheduledWarm extends Technique {

  private long lastRoundNanos;
  private boolean ran;

  ScheduledWarm() {
    super(StandingTechnique.SCHEDULED);
  }

  @Override
  void leaseTaken() {
    ran = false;
  }

  @Override
  void poll(StandingContext context, Instant now) {
    long nanos = System.nanoTime();
    if (ran && nanos - lastRoundNanos < context.standing.scheduledEvery().toNanos()) {
      return;
    }
    if (context.current == null || hasWork()) {
      return; // no plan read yet, or the last round is still being worked through
    }
    ran = true;
    lastRoundNanos = nanos;
    List<PlanEntry> top =
        context
            .current
            .primary()
            .subList(
                0, Math.min(context.standing.scheduledKeys(), context.current.primary().size()));
    List<byte[]> keys = new ArrayList<>(top.size());
    double weight = 0;
    for (PlanEntry entry : top) {
      keys.add(entry.key());
      weight += entry.weight();
    }
    counters.startRound(weight);
    TtlChoice ttls = context.ttls(context.observedTtls(keys, context.current.planTtls()));
    for (PlanEntry entry : top) {
      offer(entry.key(), entry.weight(), ttls);
    }
  }

  @Override
  Object prepare(StandingContext context, Candidate candidate) {
    return absent(context, candidate);
  }

  @Override
  void write(StandingContext context, Candidate candidate, Object checked, KeyLoads.Loaded loaded) {
    writeNx(context, candidate, loaded);
  }
}
