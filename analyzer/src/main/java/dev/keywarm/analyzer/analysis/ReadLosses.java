package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.Losses;
import dev.keywarm.schema.KeySchema.MetaField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many of the reads the agent saw are missing from the keys' counts, and why, from the summed
 * meta counters. Dropped reads (evicted from the bounded summary) are counted, only not attributed
 * to a key; reads lost to a full recording buffer ({@code lost_reads}) or never written to the
 * stats Redis ({@code unwritten_reads}) are not recorded at all. Shares are of every read the agent
 * saw: recorded + dropped + trimmed + not recorded. Trimmed reads ({@code trimmed_hits}, {@code
 * trimmed_misses}) are like dropped ones: counted, but their keys were the coldest of an hour whose
 * sets passed the agent's {@code hourkeys} cap, so the stats Redis removed them.
 *
 * <p>{@code lost_events} counts every call lost to a full buffer, reads and writes, and is all that
 * an agent older than {@code lost_reads} wrote; its part not known to be reads may hold reads, so
 * it bounds the share from above rather than being left out.
 */
final class ReadLosses {

  private ReadLosses() {}

  static Losses of(Map<String, Long> meta, double recordedReads) {
    long dropped = get(meta, MetaField.DROPPED_HITS) + get(meta, MetaField.DROPPED_MISSES);
    long bufferFull = get(meta, MetaField.LOST_READS);
    long unwritten = get(meta, MetaField.UNWRITTEN_READS);
    long unclassified = Math.max(0, get(meta, MetaField.LOST_EVENTS) - bufferFull);
    long notRecorded = bufferFull + unwritten;
    long trimmed = get(meta, MetaField.TRIMMED_HITS) + get(meta, MetaField.TRIMMED_MISSES);
    double seen = recordedReads + dropped + trimmed + notRecorded;
    return new Losses(
        seen,
        dropped,
        notRecorded,
        bufferFull,
        unwritten,
        get(meta, MetaField.UNWRITTEN_WRITES),
        trimmed,
        get(meta, MetaField.TRIMMED_HITS_MEMBERS) + get(meta, MetaField.TRIMMED_MISSES_MEMBERS),
        get(meta, MetaField.TRIMMED_WRITES),
        get(meta, MetaField.TRIMMED_LOADS),
        get(meta, MetaField.TRIMMED_PAIRS),
        get(meta, MetaField.TRIMMED_PAIRS_MEMBERS),
        get(meta, MetaField.TRIMMED_TTL_MEMBERS),
        unclassified,
        share(notRecorded, seen),
        share(notRecorded + unclassified, seen + unclassified));
  }

  /** The report's notes on what is missing; none when nothing is. */
  static List<String> notes(Losses l) {
    List<String> notes = new ArrayList<>();
    if (l.droppedReads() > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "the agent dropped %,d reads of rare keys from its bounded "
                  + "summary (%s of reads): they are counted but not attributed to a key",
              l.droppedReads(),
              pct(l.droppedReads(), l.seenReads())));
    }
    if (l.trimmedReads() > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "the stats Redis trimmed %,d reads of the coldest keys (%s of reads; %,d hits and "
                  + "misses members) from hours whose sets passed the agent's hourkeys cap: they "
                  + "are counted but not attributed to a key",
              l.trimmedReads(),
              pct(l.trimmedReads(), l.seenReads()),
              l.trimmedReadMembers()));
    }
    List<String> trimmedElse = new ArrayList<>();
    if (l.trimmedWrites() > 0) {
      trimmedElse.add(String.format(Locale.ROOT, "%,d writes", l.trimmedWrites()));
    }
    if (l.trimmedLoads() > 0) {
      trimmedElse.add(String.format(Locale.ROOT, "%,d timed loads", l.trimmedLoads()));
    }
    if (l.trimmedPairMembers() > 0) {
      trimmedElse.add(
          String.format(
              Locale.ROOT,
              "%,d co-reads of %,d pairs (hourpairs)",
              l.trimmedPairs(),
              l.trimmedPairMembers()));
    }
    if (l.trimmedTtlKeys() > 0) {
      trimmedElse.add(
          String.format(
              Locale.ROOT,
              "the observed TTLs of %,d of the least-read keys (their patterns' TTLs still count)",
              l.trimmedTtlKeys()));
    }
    if (!trimmedElse.isEmpty()) {
      notes.add(
          "the stats Redis also trimmed, from the coldest members of capped hour sets: "
              + String.join(", ", trimmedElse)
              + " (counted in the hours' meta, trimmed_*)");
    }
    if (l.notRecordedReads() > 0) {
      List<String> causes = new ArrayList<>();
      if (l.bufferFullReads() > 0) {
        causes.add(
            String.format(
                Locale.ROOT,
                "%,d (%s) lost to a full recording buffer",
                l.bufferFullReads(),
                pct(l.bufferFullReads(), l.seenReads())));
      }
      if (l.unwrittenReads() > 0) {
        causes.add(
            String.format(
                Locale.ROOT,
                "%,d (%s) counted but never written to the stats "
                    + "Redis: unreachable for longer than the agent's backlog lasts, or the shutdown flush ran "
                    + "out of time",
                l.unwrittenReads(),
                pct(l.unwrittenReads(), l.seenReads())));
      }
      notes.add(
          String.format(
              Locale.ROOT,
              "%s of reads were not recorded (%,d of %,.0f the agent " + "saw): %s",
              pct(l.notRecordedReads(), l.seenReads()),
              l.notRecordedReads(),
              l.seenReads(),
              String.join("; ", causes)));
    }
    if (l.unclassifiedLostEvents() > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "%,d calls lost to a full recording buffer are not known "
                  + "to be reads (lost_events exceeds lost_reads: they are writes, or come from an agent that "
                  + "did not count lost_reads): if all were reads, at most %.2f%% of reads were not recorded",
              l.unclassifiedLostEvents(),
              100 * l.notRecordedShareAtMost()));
    }
    if (l.unwrittenWrites() > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "%,d writes were counted but never written to the stats " + "Redis",
              l.unwrittenWrites()));
    }
    return notes;
  }

  private static long get(Map<String, Long> meta, MetaField field) {
    return meta.getOrDefault(field.field(), 0L);
  }

  private static double share(double part, double whole) {
    return whole > 0 ? part / whole : 0;
  }

  private static String pct(double part, double whole) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * share(part, whole));
  }
}
