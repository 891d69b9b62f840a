package dev.keywarm.agent.it;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.StoredKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/** Reads what the agent wrote, summed over every hour present (a test may straddle an hour). */
final class StatsReader implements AutoCloseable {

  private final Jedis jedis;
  private final String app;

  StatsReader(String host, int port, String app) {
    this.jedis = new Jedis(host, port);
    this.app = app;
  }

  long score(HourlySet set, String key) {
    return score(set, key.getBytes(StandardCharsets.UTF_8));
  }

  long score(HourlySet set, byte[] key) {
    byte[] member = StoredKey.member(key);
    long total = 0;
    for (String hourKey : keys(set)) {
      Double score = jedis.zscore(hourKey.getBytes(StandardCharsets.UTF_8), member);
      total += score == null ? 0 : Math.round(score);
    }
    return total;
  }

  List<String> keys(HourlySet set) {
    List<String> keys =
        new ArrayList<>(jedis.keys(KeySchema.PREFIX + "{" + app + "}:h:*:" + set.suffix()));
    keys.sort(null);
    return keys;
  }

  List<byte[]> members(HourlySet set) {
    List<byte[]> members = new ArrayList<>();
    for (String hourKey : keys(set)) {
      members.addAll(jedis.zrange(hourKey.getBytes(StandardCharsets.UTF_8), 0, -1));
    }
    return members;
  }

  Map<String, String> meta() {
    Map<String, String> totals = new TreeMap<>();
    for (String key : jedis.keys(KeySchema.PREFIX + "{" + app + "}:h:*:meta")) {
      jedis
          .hgetAll(key)
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
    return jedis.ttl(key);
  }

  @Override
  public void close() {
    jedis.close();
  }
}
