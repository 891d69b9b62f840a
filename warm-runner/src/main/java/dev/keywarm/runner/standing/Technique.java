package dev.keywarm.runner.standing;

import dev.keywarm.runner.engine.NxWrite;
import dev.keywarm.runner.engine.TtlChoice;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.KeyBytes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One technique of the standing warm: {@link #poll} looks (cheaply, from the scheduler thread)
 * whether work is due and queues the keys it wants; {@link StandingWarm} then has it work through
 * them in turn with the other techniques' keys ({@link #handleNext}): the next queued key and the
 * keys of its loader among the {@link #LOOK_AHEAD} × {@code batchSize()} after it, up to its {@code
 * batchSize()}, are checked ({@link #prepare}; presence in one pipeline), loaded in one call under
 * the shared rate, and written one by one ({@link #write}) — only while this instance holds the
 * lease. A key is queued at most once at a time, with the TTL choice of the look that queued it.
 */
abstract class Technique {

  /**
   * A key taken up, with its weight in the round (its plan score; misses, for lazy) and the TTL
   * choice of the look that queued it (the observed TTLs read for that round).
   */
  record Candidate(byte[] key, double weight, TtlChoice ttls) {}

  final StandingTechnique kind;
  final TechniqueCounters counters = new TechniqueCounters();

  /** How far past a batch's size the queue is searched for keys of the batch's loader. */
  static final int LOOK_AHEAD = 4;

  private final ArrayDeque<Candidate> pending = new ArrayDeque<>();
  private final Set<KeyBytes> queued = new HashSet<>();

  /** A call of this round failed on the connection: the round is not complete. */
  boolean roundFailed;

  Technique(StandingTechnique kind) {
    this.kind = kind;
  }

  /** Queues what is due at {@code now}, if anything. */
  abstract void poll(StandingContext context, Instant now);

  /**
   * Checks {@code candidate} before its load: null if it is not to be loaded (counted here), else
   * what {@link #write} needs of the check.
   */
  abstract Object prepare(StandingContext context, Candidate candidate);

  /** Writes a loaded value of {@code candidate}; {@code checked} is {@link #prepare}'s answer. */
  abstract void write(
      StandingContext context, Candidate candidate, Object checked, KeyLoads.Loaded loaded);

  /** False for a loader this technique cannot use (known before the call): counted as skipped. */
  boolean accepts(LoaderTable.Entry loader) {
    return true;
  }

  /** What the log line calls {@link TechniqueCounters#loaded}. */
  String loadedName() {
    return "loaded";
  }

  /**
   * This instance took the lease from another: start afresh, as if the service had just started.
   */
  void leaseTaken() {}

  /** Queues {@code key} unless it is queued already. */
  final void offer(byte[] key, double weight, TtlChoice ttls) {
    if (queued.add(new KeyBytes(key))) {
      pending.add(new Candidate(key, weight, ttls));
      counters.candidates.incrementAndGet();
    }
  }

  final boolean hasWork() {
    return !pending.isEmpty();
  }

  final int pendingCount() {
    return pending.size();
  }

  private Candidate take() {
    Candidate next = pending.poll();
    queued.remove(new KeyBytes(next.key()));
    return next;
  }

  /** Works through the next queued key, with the keys after it that one loader call can take. */
  final void handleNext(StandingContext context) throws InterruptedException {
    Candidate first = take();
    LoaderTable.Entry loader = context.loads.loaderOf(first.key());
    if (loader == null) {
      counters.noLoader.incrementAndGet();
      return;
    }
    if (!accepts(loader)) {
      counters.skipped.incrementAndGet();
      return;
    }
    int max = KeyLoads.batchSize(loader);
    List<Candidate> batch = new ArrayList<>(Math.min(max, 1 + pending.size()));
    batch.add(first);
    // the queued keys of the same loader among the next few, not only the consecutive ones: keys of
    // two patterns interleave in a plan (the demo's products and deals do), and a call is what the
    // rate counts
    Iterator<Candidate> next = pending.iterator();
    for (int seen = 0; batch.size() < max && next.hasNext() && seen < LOOK_AHEAD * max; seen++) {
      Candidate candidate = next.next();
      if (context.loads.loaderOf(candidate.key()) == loader) {
        next.remove();
        queued.remove(new KeyBytes(candidate.key()));
        batch.add(candidate);
      }
    }
    List<Candidate> toLoad = new ArrayList<>(batch.size());
    List<Object> checks = new ArrayList<>(batch.size());
    List<byte[]> keys = new ArrayList<>(batch.size());
    if (checksPresence()) {
      List<byte[]> members = new ArrayList<>(batch.size());
      batch.forEach(candidate -> members.add(candidate.key()));
      context.prefetchPresence(members);
    }
    for (Candidate candidate : batch) {
      Object checked = prepare(context, candidate);
      if (checked != null) {
        toLoad.add(candidate);
        checks.add(checked);
        keys.add(candidate.key());
      }
    }
    if (toLoad.isEmpty() || !context.holding()) {
      return;
    }
    List<KeyLoads.Loaded> loaded = context.loads.loadAll(loader, keys);
    if (!context.holding()) {
      return; // the lease ran out during the call: the writes are the next holder's to make
    }
    for (int i = 0; i < toLoad.size(); i++) {
      if (KeyLoads.loadedElseCount(loaded.get(i), counters)) {
        write(context, toLoad.get(i), checks.get(i), loaded.get(i));
      }
    }
  }

  /** Another instance holds the lease now: what was queued is its to do. */
  final void dropQueued() {
    pending.clear();
    queued.clear();
  }

  /**
   * True if {@link #prepare} asks {@link #absent} of every candidate: then a batch's presence is
   * read in one pipeline first. Refresh-ahead reads more than presence and says false.
   */
  boolean checksPresence() {
    return true;
  }

  /** {@link #prepare} for the {@code NX} techniques: only a key not in the cache is loaded. */
  final Object absent(StandingContext context, Candidate candidate) {
    if (context.isCached(candidate.key())) {
      counters.present.incrementAndGet();
      return null;
    }
    return Boolean.TRUE;
  }

  /** The warm's way, for a key not in the cache ({@link NxWrite}): an application write wins. */
  final void writeNx(StandingContext context, Candidate candidate, KeyLoads.Loaded loaded) {
    switch (NxWrite.write(
        context.cacheTarget, candidate.key(), loaded.value(), loaded.loader(), candidate.ttls())) {
      case WRITTEN -> counters.loaded(candidate.weight());
      case EXISTED -> counters.applicationWroteFirst.incrementAndGet();
      case NO_TTL -> counters.noTtl.incrementAndGet();
      default -> counters.failed.incrementAndGet();
    }
  }
}
