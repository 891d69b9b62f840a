package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.analysis.AnalysisResult.HotKey;
import dev.keywarm.analyzer.analysis.AnalysisResult.HotSet;
import dev.keywarm.analyzer.read.KeyTable;
import dev.keywarm.schema.KeyPattern;
import dev.keywarm.schema.KeyText;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys ranked by reads, or with a half-life by decayed reads (an hour t hours before the end of the
 * range counts 2^(−t/halfLife)), with per-key hit ratio, misses, mean load time and the load time
 * warming would have saved: misses × mean load time (only where a load was timed).
 */
final class HotSetRanking {

  private HotSetRanking() {}

  static HotSet of(KeyTable keys, int[] ranked, double halfLifeHours, int rows) {
    List<HotKey> out = new ArrayList<>();
    for (int i = 0; i < Math.min(rows, ranked.length); i++) {
      int id = ranked[i];
      double meanLoadUs = keys.meanLoadMicros(id);
      Double meanLoadMs = Double.isNaN(meanLoadUs) ? null : meanLoadUs / 1000;
      double reads = keys.reads(id);
      out.add(
          new HotKey(
              i + 1,
              KeyText.display(keys.key(id)),
              KeyPattern.of(keys.key(id)),
              reads,
              keys.decayedReads(id),
              keys.hits(id),
              keys.misses(id),
              reads > 0 ? keys.hits(id) / reads : null,
              meanLoadMs,
              meanLoadMs == null ? null : keys.misses(id) * meanLoadMs));
    }
    return new HotSet(
        halfLifeHours > 0 ? "decayed reads" : "reads",
        halfLifeHours > 0 ? halfLifeHours : null,
        out);
  }
}
