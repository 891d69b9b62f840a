package dev.keywarm.agent.flush;

import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.StatsShards;
import java.util.ArrayList;
import java.util.List;

/**
 * A sealed window's entries grouped by stats shard, for the flusher: part {@code p} holds the
 * members and pairs of {@link #shard(int)}, in the window's order, each an entry of the window
 * exactly once; shards without entries have no part. The window's totals are not in any part: the
 * flusher writes them once, to the hour's own meta. With one shard the only part shares the
 * window's arrays.
 */
final class ShardedWindow {

  private final WindowSnapshot window;
  private final List<KeySchema.Shard> shards = new ArrayList<>();
  private final List<WindowSnapshot> parts = new ArrayList<>();

  ShardedWindow(WindowSnapshot window, KeySchema schema, StatsShards layout) {
    this.window = window;
    if (layout.count() == 1) {
      if (window.size() + window.pairs().length > 0) {
        shards.add(schema.shard(layout, 0));
        parts.add(window.withTotals(WindowTotals.NONE));
      }
      return;
    }
    int count = layout.count();
    int[] memberShard = new int[window.size()];
    int[] membersOf = new int[count];
    for (int i = 0; i < memberShard.length; i++) {
      memberShard[i] = layout.of(window.members()[i]);
      membersOf[memberShard[i]]++;
    }
    int[] pairShard = new int[window.pairs().length];
    int[] pairsOf = new int[count];
    for (int i = 0; i < pairShard.length; i++) {
      pairShard[i] = layout.of(window.pairs()[i]);
      pairsOf[pairShard[i]]++;
    }
    // one pass per shard over the window's shard numbers: O(shards × entries) int compares, no
    // per-entry allocation; at 24 shards and 100 000 keys a few ms on the flusher thread
    int[] members = new int[window.size()];
    int[] pairs = new int[window.pairs().length];
    for (int s = 0; s < count; s++) {
      if (membersOf[s] + pairsOf[s] == 0) {
        continue;
      }
      int m = 0;
      for (int i = 0; i < memberShard.length; i++) {
        if (memberShard[i] == s) {
          members[m++] = i;
        }
      }
      int p = 0;
      for (int i = 0; i < pairShard.length; i++) {
        if (pairShard[i] == s) {
          pairs[p++] = i;
        }
      }
      shards.add(schema.shard(layout, s));
      parts.add(window.select(members, m, pairs, p));
    }
  }

  WindowSnapshot window() {
    return window;
  }

  int parts() {
    return parts.size();
  }

  KeySchema.Shard shard(int part) {
    return shards.get(part);
  }

  WindowSnapshot part(int part) {
    return parts.get(part);
  }

  /** A part's items: its members, then its pairs. */
  int items(int part) {
    WindowSnapshot p = parts.get(part);
    return p.size() + p.pairs().length;
  }

  /**
   * The window's totals, with the reads and writes of every entry not yet confirmed — from item
   * {@code firstUnconfirmed} of part {@code part} on — added as unwritten.
   */
  WindowSnapshot unwrittenRemainder(int part, int firstUnconfirmed) {
    long reads = 0;
    long writes = 0;
    for (int p = part; p < parts.size(); p++) {
      WindowSnapshot left = parts.get(p).unwrittenRemainder(p == part ? firstUnconfirmed : 0);
      reads += left.totals().unwrittenReads();
      writes += left.totals().unwrittenWrites();
    }
    return WindowSnapshot.totalsOnly(window.hour(), window.totals().unwritten(reads, writes));
  }
}
