package dev.keywarm.agent.it;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.StoredKey;
import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * Reads what the agent wrote, summed over every hour present (a test may straddle an hour) and
 * every shard on every node given (a cluster's masters).
 */
final class StatsReader implements AutoCloseable {

  private final List<Jedis> nodes = new ArrayList<>();
  private final String app;

  StatsReader(String host, int port, String app) {
    this.nodes.add(new Jedis(host, port));
    this.app = app;
  }

  /** Every master of a cluster. */
  StatsReader(RedisCluster cluster, String app) {
    for (RedisServer node : cluster.nodes()) {
      nodes.add(new Jedis(node.host(), node.port()));
    }
    this.app = app;
  }

  private record Located(Jedis node, String key) {}

  long score(HourlySet set, String key) {
    return score(set, key.getBytes(StandardCharsets.UTF_8));
  }

  long score(HourlySet set, byte[] key) {
    byte[] member = StoredKey.member(key);
    long total = 0;
    for (Located hourKey : located(set.suffix())) {
      Double score = hourKey.node.zscore(hourKey.key.getBytes(StandardCharsets.UTF_8), member);
      total += score == null ? 0 : Math.round(score);
    }
    return total;
  }

  /** The app's keys ending in {@code :suffix}, under its own tag or a shard's, on every node. */
  private List<Located> located(String suffix) {
    List<Located> keys = new ArrayList<>();
    for (Jedis node : nodes) {
      // kw:{app}:… (one shard) and kw:{app~n}:… (a shard of many)
      for (String key : node.keys(KeySchema.PREFIX + "{" + app + "[}~]*:h:*:" + suffix)) {
        keys.add(new Located(node, key));
      }
    }
    keys.sort(Comparator.comparing(Located::key));
    return keys;
  }

  List<String> keys(HourlySet set) {
    return located(set.suffix()).stream().map(Located::key).toList();
  }

  List<byte[]> members(HourlySet set) {
    List<byte[]> members = new ArrayList<>();
    for (Located hourKey : located(set.suffix())) {
      members.addAll(hourKey.node.zrange(hourKey.key.getBytes(StandardCharsets.UTF_8), 0, -1));
    }
    return members;
  }

  Map<String, String> meta() {
    Map<String, String> totals = new TreeMap<>();
    for (Located key : located("meta")) {
      key.node
          .hgetAll(key.key)
          .forEach(
              (field, value) ->
                  totals.merge(
                      field,
                      value,
                      (a, b) -> Long.toString(Long.parseLong(a) + Long.parseLong(b))));
    }
    return totals;
  }

  long ttl(String key) {
    for (Jedis node : nodes) {
      if (node.exists(key)) {
        return node.ttl(key);
      }
    }
    return -2;
  }

  @Override
  public void close() {
    nodes.forEach(Jedis::close);
  }
}
