package dev.keywarm.agent.recording;

/**
 * What a window counted that no key's counters carry — each field is one of the hour's meta fields
 * ({@link dev.keywarm.schema.KeySchema.MetaField}). Together with the per-key counters they account
 * for every event the agent took: attributed to a key, evicted from the bounded summary ({@code
 * dropped*}), lost at a full buffer ({@code lost*}), or counted but never written ({@code
 * unwritten*}).
 */
public record WindowTotals(
    long droppedHits,
    long droppedMisses,
    long droppedWrites,
    long lostEvents,
    long lostReads,
    long truncatedKeys,
    long unwrittenReads,
    long unwrittenWrites) {

  public static final WindowTotals NONE = new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0);

  public WindowTotals plus(WindowTotals o) {
    return new WindowTotals(
        droppedHits + o.droppedHits,
        droppedMisses + o.droppedMisses,
        droppedWrites + o.droppedWrites,
        lostEvents + o.lostEvents,
        lostReads + o.lostReads,
        truncatedKeys + o.truncatedKeys,
        unwrittenReads + o.unwrittenReads,
        unwrittenWrites + o.unwrittenWrites);
  }

  /** These totals with {@code reads} and {@code writes} more counted but not written. */
  public WindowTotals unwritten(long reads, long writes) {
    return plus(new WindowTotals(0, 0, 0, 0, 0, 0, reads, writes));
  }

  public boolean isZero() {
    return equals(NONE);
  }

  /** Events evicted from the summary: counted in the totals, not attributed to a key. */
  public long droppedEvents() {
    return droppedHits + droppedMisses + droppedWrites;
  }
}
