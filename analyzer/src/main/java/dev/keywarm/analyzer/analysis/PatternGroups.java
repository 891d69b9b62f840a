package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.Heatmap;
import dev.keywarm.analyzer.analysis.AnalysisResult.PatternRow;
import dev.keywarm.analyzer.analysis.AnalysisResult.Patterns;
import dev.keywarm.analyzer.read.KeyTable;
import dev.keywarm.analyzer.read.PatternTtls;
import dev.keywarm.schema.KeyPattern;
import dev.keywarm.schema.ttl.TtlHistogram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys grouped by {@link KeyPattern}, with share of reads, hit ratio and miss cost per pattern (Σ
 * over the pattern's keys of misses × that key's mean load time, for keys with a timed load), and
 * an hour-of-day × pattern heatmap of reads for the most-read patterns. Each pattern's TTLs (p50,
 * p90, share of writes without one) come from the agent's per-pattern histograms, whose patterns
 * are this same {@link KeyPattern} of the keys it saw written; patterns written but never read are
 * listed after the read ones, as a cache holding what nobody reads is worth seeing.
 */
final class PatternGroups {

  static final int HEATMAP_PATTERNS = 12;

  private PatternGroups() {}

  static Patterns of(KeyTable keys, double totalReads, int rows, PatternTtls ttls) {
    Map<String, Group> groups = new HashMap<>();
    int n = keys.size();
    Group[] groupOf = new Group[n];
    for (int id = 0; id < n; id++) {
      double reads = keys.reads(id);
      if (reads <= 0) {
        continue;
      }
      Group g = groups.computeIfAbsent(KeyPattern.of(keys.key(id)), Group::new);
      groupOf[id] = g;
      g.keys++;
      g.reads += reads;
      g.hits += keys.hits(id);
      g.misses += keys.misses(id);
      g.loads += keys.loads(id);
      double meanLoad = keys.meanLoadMicros(id);
      if (!Double.isNaN(meanLoad)) {
        g.missCostMicros += keys.misses(id) * meanLoad;
        g.costedMisses += keys.misses(id);
      }
    }
    List<Group> sorted = new ArrayList<>(groups.values());
    sorted.sort(
        Comparator.comparingDouble((Group g) -> g.reads).reversed().thenComparing(g -> g.pattern));
    List<PatternRow> top = new ArrayList<>();
    for (Group g : sorted.subList(0, Math.min(rows, sorted.size()))) {
      top.add(row(g, totalReads, ttls.of(g.pattern)));
    }
    List<String> writtenOnly = new ArrayList<>();
    for (String pattern : ttls.patterns()) {
      if (!groups.containsKey(pattern)) {
        writtenOnly.add(pattern);
      }
    }
    writtenOnly.sort(
        Comparator.comparingLong((String p) -> ttls.of(p).writes())
            .reversed()
            .thenComparing(p -> p));
    for (String pattern : writtenOnly.subList(0, Math.min(rows, writtenOnly.size()))) {
      top.add(row(new Group(pattern), totalReads, ttls.of(pattern)));
    }
    List<Group> mapped = sorted.subList(0, Math.min(HEATMAP_PATTERNS, sorted.size()));
    Map<Group, Integer> column = new HashMap<>();
    for (int i = 0; i < mapped.size(); i++) {
      column.put(mapped.get(i), i);
    }
    int[] columnOf = new int[n];
    for (int id = 0; id < n; id++) {
      columnOf[id] = groupOf[id] == null ? -1 : column.getOrDefault(groupOf[id], -1);
    }
    double[][] heat = new double[24][mapped.size()];
    for (int h = 0; h < 24; h++) {
      float[] reads = keys.hourOfDay(h);
      if (reads == null) {
        continue;
      }
      for (int id = 0; id < n; id++) {
        if (columnOf[id] >= 0) {
          heat[h][columnOf[id]] += reads[id];
        }
      }
    }
    List<String> names = new ArrayList<>();
    mapped.forEach(g -> names.add(g.pattern));
    return new Patterns(groups.size(), top, new Heatmap(names, heat), writtenOnly.size());
  }

  /**
   * @param ttls the pattern's TTLs, or null when none was recorded
   */
  private static PatternRow row(Group g, double totalReads, TtlHistogram ttls) {
    boolean anyTtl = ttls != null && ttls.writes() > ttls.writesWithoutTtl();
    return new PatternRow(
        g.pattern,
        g.keys,
        g.reads,
        g.reads / totalReads,
        g.hits,
        g.misses,
        g.reads > 0 ? g.hits / g.reads : null,
        g.costedMisses > 0 ? g.missCostMicros / 1000 : null,
        g.misses > 0 ? g.costedMisses / g.misses : 0,
        g.loads,
        anyTtl ? ttls.quantileMillis(0.5) : null,
        anyTtl ? ttls.quantileMillis(0.9) : null,
        ttls != null && ttls.writes() > 0 ? ttls.shareWithoutTtl() : null,
        ttls == null ? 0 : ttls.writes());
  }

  private static final class Group {
    final String pattern;
    int keys;
    double reads;
    double hits;
    double misses;
    double loads;
    double missCostMicros;
    double costedMisses;

    Group(String pattern) {
      this.pattern = pattern;
    }
  }
}
