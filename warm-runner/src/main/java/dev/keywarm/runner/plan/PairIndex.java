package dev.keywarm.runner.plan;

import dev.keywarm.schema.PairMember;
import dev.keywarm.schema.plan.WarmPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Correlated keys: for a key a, the keys b with lift(b | a) at or above the threshold, read from
 * the plan's pairs set highest lift first (at most {@code maxPairs} pairs, so memory is bounded by
 * it).
 */
public final class PairIndex {

  private final Map<KeyBytes, List<byte[]>> followers;

  PairIndex(Map<KeyBytes, List<byte[]>> followers) {
    this.followers = followers;
  }

  /**
   * The first {@code max} pairs at or above {@code minLift}, from pairs ranked by lift, highest
   * first.
   */
  static PairIndex of(List<WarmPlan.Entry> pairsByLift, double minLift, int max) {
    Map<KeyBytes, List<byte[]>> followers = new HashMap<>();
    int taken = 0;
    for (WarmPlan.Entry pair : pairsByLift) {
      if (taken == max) {
        break;
      }
      if (pair.score() >= minLift) {
        byte[][] ab = PairMember.decode(pair.member());
        followers.computeIfAbsent(new KeyBytes(ab[0]), k -> new ArrayList<>()).add(ab[1]);
        taken++;
      }
    }
    return new PairIndex(followers);
  }

  /**
   * The followers of {@code loaded} keys, in the order of {@code loaded}, each once, none of {@code
   * exclude}.
   */
  public List<byte[]> followersOf(Iterable<KeyBytes> loaded, Set<KeyBytes> exclude) {
    Set<KeyBytes> out = new LinkedHashSet<>();
    for (KeyBytes key : loaded) {
      for (byte[] follower : followers.getOrDefault(key, List.of())) {
        KeyBytes k = new KeyBytes(follower);
        if (!exclude.contains(k)) {
          out.add(k);
        }
      }
    }
    List<byte[]> keys = new ArrayList<>(out.size());
    out.forEach(k -> keys.add(k.bytes()));
    return keys;
  }

  public int size() {
    return followers.values().stream().mapToInt(List::size).sum();
  }
}
