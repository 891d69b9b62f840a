package dev.keywarm.runner.plan;

import dev.keywarm.schema.PairMember;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Correlated keys: for a key a, the keys b with lift(b | a) at or above the threshold, read from the
 * plan's pairs set highest lift first (at most {@code maxPairs} pairs, so memory is bounded by it).
 */
public final class PairIndex {

  public static final PairIndex EMPTY = new PairIndex(Map.of());

  private final Map<KeyBytes, List<byte[]>> followers;

  PairIndex(Map<KeyBytes, List<byte[]>> followers) {
    this.followers = followers;
  }

  static PairIndex fromMembers(List<byte[]> membersByLiftDescending) {
    Map<KeyBytes, List<byte[]>> followers = new HashMap<>();
    for (byte[] member : membersByLiftDescending) {
      byte[][] pair = PairMember.decode(member);
      followers.computeIfAbsent(new KeyBytes(pair[0]), k -> new ArrayList<>()).add(pair[1]);
    }
    return new PairIndex(followers);
  }

  /** The followers of {@code loaded} keys, in the order of {@code loaded}, each once, none of {@code exclude}. */
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

  /** The pairs as members again (first, follower), for a snapshot. */
  public List<byte[]> members() {
    List<byte[]> members = new ArrayList<>();
    followers.forEach((first, list) -> list.forEach(
        follower -> members.add(PlanSnapshot.pair(first.bytes(), follower))));
    return members;
  }

  public int size() {
    return followers.values().stream().mapToInt(List::size).sum();
  }
}
