package dev.keywarm.agent.metrics;

import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.schema.KeyPattern;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cumulative cache counters per key pattern ({@link KeyPattern}: {@code products::{n}}), the source
 * of the {@code cache.gets}, {@code cache.puts}, {@code cache.removals} and {@code
 * cache.load.duration} meters. Fed once per flush window from what the window summary counted (so
 * the request path does no more work for meters than for the hourly sets, and the counts are the
 * same exact counts), deletes included ({@code WindowSnapshot.removals}).
 *
 * <p>Cardinality is bounded: the first {@code maxPatterns} patterns seen get a series each, every
 * later one counts under {@value #OTHER}, and so do counts the window summary could not attribute
 * to a key (its evictions beyond {@code maxkeys}). A series is never moved or dropped once exposed,
 * so every counter only grows. One writer thread ({@link MetersUpdater}); any thread may read.
 */
public final class PatternMeters {

  /** The series of patterns beyond the bound and of counts without a key. */
  public static final String OTHER = "other";

  private final int maxPatterns;
  private final Map<String, Series> series = new ConcurrentHashMap<>();

  /** One pattern's counters. Written by one thread, read by scrapes. */
  public static final class Series {
    private final String pattern;
    volatile long hits;
    volatile long misses;
    volatile long puts;
    volatile long removals;
    volatile long loads;
    volatile long loadNanos;

    Series(String pattern) {
      this.pattern = pattern;
    }

    public String pattern() {
      return pattern;
    }

    public long hits() {
      return hits;
    }

    public long misses() {
      return misses;
    }

    public long puts() {
      return puts;
    }

    public long removals() {
      return removals;
    }

    public long loads() {
      return loads;
    }

    /** Summed time from a miss to the SET of the same key, ns. */
    public long loadNanos() {
      return loadNanos;
    }
  }

  public PatternMeters(int maxPatterns) {
    this.maxPatterns = maxPatterns;
  }

  /** Adds one window's counts (called by the one writer). */
  void add(WindowSnapshot window) {
    Map<String, Series> byPattern = new HashMap<>(); // a pattern is computed once per key
    for (int i = 0; i < window.size(); i++) {
      Series s = seriesOf(KeyPattern.of(window.members()[i]), byPattern);
      s.hits += window.hits()[i];
      s.misses += window.misses()[i];
      s.puts += window.writes()[i];
      s.loads += window.loads()[i];
      s.loadNanos += window.loadNanos()[i];
      s.removals += window.removals()[i];
    }
    var totals = window.totals();
    if (totals.droppedHits() + totals.droppedMisses() + totals.droppedWrites() > 0) {
      Series other = seriesOf(OTHER, byPattern);
      other.hits += totals.droppedHits();
      other.misses += totals.droppedMisses();
      other.puts += totals.droppedWrites();
    }
  }

  private Series seriesOf(String pattern, Map<String, Series> cache) {
    Series s = cache == null ? null : cache.get(pattern);
    if (s == null) {
      s = series.get(pattern);
      if (s == null) {
        String name = series.size() >= maxPatterns && !pattern.equals(OTHER) ? OTHER : pattern;
        s = series.computeIfAbsent(name, Series::new);
      }
      if (cache != null) {
        cache.put(pattern, s);
      }
    }
    return s;
  }

  /** Every series so far (a live view). */
  public Collection<Series> series() {
    return Collections.unmodifiableCollection(series.values());
  }

  public int maxPatterns() {
    return maxPatterns;
  }
}
