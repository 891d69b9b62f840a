package dev.keywarm.runner.engine;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.WarmSettings;
import dev.keywarm.runner.plan.KeyBytes;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.runner.restore.SnapshotReader;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.KeySchema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;

/**
 * Puts the agent's hot-set snapshot back into the cache Redis before any loader runs: the calling
 * thread reads it page by page ({@link SnapshotReader}: hottest first, each entry judged by {@code
 * SnapshotEntry.restorable}) and feeds the writes to a {@link PipelinedWriter} whose threads write
 * while the next page is read. A string is written {@code SET key value NX PXAT expiry} (its value
 * read from the payload, {@code DumpPayload}): the cache Redis spends 1.1–1.6× the CPU on a {@code
 * RESTORE} of a 1 KB value that it spends on a {@code SET NX PX} of it (checksum, decoding, one
 * more copy; measured with {@code jmh-benchmarks/RestoreThroughputMain}); any other type, and any
 * payload on a server before 6.2, with {@code RESTORE key expiry payload ABSTTL}, without {@code
 * REPLACE}. Either way a key that exists is kept (a nil reply, {@code BUSYKEY}): the application's
 * write wins.
 *
 * <p>Writers: {@link #WRITERS} at least, so that one pipeline is on the wire while the other's
 * replies are read and Redis never waits for the runner; pipelines of the configured batch (the
 * page size too). The writer's back-pressure ({@code 2 × writers × batch} writes pending) bounds
 * the memory to a few pages of values.
 *
 * <p>Budgets: at most {@code maxKeys} entries (the hottest), payload bytes count against {@code
 * maxBytes}, and reading stops at {@code maxTime} or on cancel; entries not read are not counted. A
 * stats Redis that fails while the snapshot is read ends the restore (a warning), not the warm: the
 * loaders still run. A cache Redis the writer gives up on fails the run, as in {@link WarmEngine}.
 */
public final class SnapshotRestore {

  /** Writer threads at least, whatever {@code writers} says for the loaders' phase. */
  static final int WRITERS = 2;

  /**
   * What the restore did; {@link #present} are the keys in the cache now (restored or existing).
   */
  public record Outcome(
      boolean found,
      long restored,
      long notRestorable,
      long existing,
      long failed,
      Map<SnapshotReader.Skip, Long> skips,
      List<KeyBytes> present,
      boolean budgetReached,
      Duration began,
      Duration took) {

    public static final Outcome NONE =
        new Outcome(false, 0, 0, 0, 0, Map.of(), List.of(), false, Duration.ZERO, Duration.ZERO);

    /** The restore's line for the log. */
    public String summary() {
      StringJoiner reasons = new StringJoiner(", ", ": ", "");
      reasons.setEmptyValue("");
      skips.forEach((skip, n) -> reasons.add(n + " " + skip.text()));
      return "restored "
          + restored
          + " keys from the snapshot in "
          + took.toMillis()
          + " ms ("
          + notRestorable
          + " not restorable"
          + reasons
          + "; "
          + existing
          + " already in the cache"
          + (failed > 0 ? "; " + failed + " failed" : "")
          + (budgetReached ? "; stopped at the budget" : "")
          + "; began "
          + began.toMillis()
          + " ms into the run)";
    }
  }

  private final WarmSettings settings;
  private final RedisTarget stats;
  private final RedisTarget target;
  private final WarmCounters counters;
  private final KeySchema schema;
  private final long startNanos;
  private final long deadlineNanos;
  private final BooleanSupplier cancelled;

  public SnapshotRestore(
      WarmSettings settings,
      RedisTarget stats,
      RedisTarget target,
      WarmCounters counters,
      KeySchema schema,
      long startNanos,
      BooleanSupplier cancelled) {
    this.settings = settings;
    this.stats = stats;
    this.target = target;
    this.counters = counters;
    this.schema = schema;
    this.startNanos = startNanos;
    this.deadlineNanos =
        settings.maxTime() == null ? Long.MAX_VALUE : startNanos + settings.maxTime().toNanos();
    this.cancelled = cancelled;
  }

  /**
   * Restores the snapshot; {@link Outcome#NONE} if there is none (or it could not be read at all).
   *
   * @throws dev.keywarm.runner.target.RedisUnavailableException if the cache Redis stayed
   *     unreachable
   */
  public Outcome run() throws InterruptedException {
    long start = System.nanoTime();
    SnapshotReader reader =
        new SnapshotReader(
            stats.endpoint(),
            (int) stats.timeout().toMillis(),
            schema,
            settings.writeBatch(),
            settings.maxKeys(),
            System::currentTimeMillis);
    try (reader) {
      return run(reader, start);
    }
  }

  private Outcome run(SnapshotReader reader, long start) throws InterruptedException {
    try {
      if (!reader.open()) {
        return Outcome.NONE;
      }
    } catch (IOException | RuntimeException e) {
      WarmLog.warn("the hot-set snapshot could not be read, warming without it: " + e.getMessage());
      return Outcome.NONE;
    }
    PipelinedWriter writer =
        new PipelinedWriter(
            target,
            counters,
            Math.max(WRITERS, settings.writers()),
            settings.writeBatch(),
            settings.redisGiveUpAfter().toMillis(),
            settings.app(),
            true);
    boolean budgetReached = reader.truncated();
    writer.start();
    try {
      while (writer.failure() == null) {
        if (cancelled.getAsBoolean()) {
          break;
        }
        if (System.nanoTime() > deadlineNanos
            || (settings.maxBytes() > 0 && counters.bytesLoaded.get() >= settings.maxBytes())) {
          budgetReached = true;
          break;
        }
        SnapshotReader.Page page;
        try {
          page = reader.next();
        } catch (IOException | RuntimeException e) {
          WarmLog.warn(
              "reading the hot-set snapshot failed, the restore stops here: " + e.getMessage());
          break;
        }
        if (page == null) {
          break;
        }
        counters.planned.addAndGet(page.entries());
        counters.snapshotSkipped.addAndGet(page.skipped());
        if (!page.restorable().isEmpty()) {
          writer.enqueueAll(writes(page.restorable()));
        }
      }
      writer.flush();
    } finally {
      writer.stop();
    }
    if (writer.failure() != null) {
      throw writer.failure();
    }
    List<KeyBytes> present = new ArrayList<>();
    writer.presentKeys().forEach(present::add);
    return new Outcome(
        true,
        counters.restored.get(),
        counters.snapshotSkipped.get(),
        counters.skippedExisting.get(),
        counters.failed.get(),
        reader.skips(),
        present,
        budgetReached,
        Duration.ofNanos(start - startNanos),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private List<PipelinedWriter.Write> writes(List<SnapshotReader.Restorable> restorable) {
    List<PipelinedWriter.Write> writes = new ArrayList<>(restorable.size());
    for (SnapshotReader.Restorable r : restorable) {
      counters.bytesLoaded.addAndGet(r.payload().length);
      writes.add(
          new PipelinedWriter.Write(
              new PlanEntry(r.key(), 0, PlanEntry.Source.SNAPSHOT),
              LoadedValue.dump(
                  r.payload(), r.ttlMillis() == 0 ? null : Duration.ofMillis(r.ttlMillis())),
              r.ttlMillis(),
              r.expireAtMillis()));
    }
    return writes;
  }
}
