package dev.keywarm.demo;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;

/**
 * What keeping the hot-set snapshot costs the cache Redis, measured from its own {@code INFO
 * commandstats} between two readings taken while the shop runs steadily (before the restart): the
 * agent's {@code DUMP} + {@code PTTL} calls against every other call the shop made. The restart
 * check ({@code INFO}, {@code DBSIZE}, its {@code SUBSCRIBE}), this measurement's own {@code INFO}
 * and connection set-up are neither: they are counted apart as housekeeping.
 *
 * <p>Bytes: the agent says when it stops how many keys it read and how many value bytes those were
 * ({@code snapshot: read N keys (B bytes) ...}); B / N times the {@code DUMP} calls per second
 * gives the value bytes per second the snapshot read. -1 where that line was not printed.
 */
record SnapshotUpkeep(
    double seconds, long dumps, long pttls, long shopCalls, long housekeeping, double bytesPerKey) {

  /** Commands that are neither the shop's nor the snapshot's (Redis 7 names subcommands a|b). */
  private static final Set<String> HOUSEKEEPING =
      Set.of("info", "dbsize", "subscribe", "ping", "hello", "auth", "select", "client", "command");

  /** The cache Redis's call counts per command at one moment. */
  record Reading(long nanos, Map<String, Long> calls) {

    static Reading of(String redisUri) {
      try (Jedis jedis = new Jedis(URI.create(redisUri))) {
        return parse(System.nanoTime(), jedis.info("commandstats"));
      }
    }

    /** {@code cmdstat_get:calls=12,usec=...} lines; anything else is ignored. */
    static Reading parse(long nanos, String info) {
      Map<String, Long> calls = new HashMap<>();
      for (String line : info.split("\r?\n")) {
        int colon = line.indexOf(':');
        int from = line.indexOf("calls=");
        if (!line.startsWith("cmdstat_") || colon < 0 || from < 0) {
          continue;
        }
        int to = line.indexOf(',', from);
        calls.put(
            line.substring("cmdstat_".length(), colon),
            Long.parseLong(line.substring(from + "calls=".length(), to < 0 ? line.length() : to)));
      }
      return new Reading(nanos, calls);
    }
  }

  static SnapshotUpkeep between(Reading from, Reading to) {
    long dumps = 0;
    long pttls = 0;
    long shop = 0;
    long housekeeping = 0;
    for (Map.Entry<String, Long> e : to.calls().entrySet()) {
      long calls = e.getValue() - from.calls().getOrDefault(e.getKey(), 0L);
      String command = e.getKey().split("\\|", 2)[0];
      if (command.equals("dump")) {
        dumps += calls;
      } else if (command.equals("pttl")) {
        pttls += calls;
      } else if (HOUSEKEEPING.contains(command)) {
        housekeeping += calls;
      } else {
        shop += calls;
      }
    }
    return new SnapshotUpkeep(
        (to.nanos() - from.nanos()) / 1e9, dumps, pttls, shop, housekeeping, -1);
  }

  SnapshotUpkeep withBytesPerKey(double bytes) {
    return new SnapshotUpkeep(seconds, dumps, pttls, shopCalls, housekeeping, bytes);
  }

  double commandsPerSecond() {
    return (dumps + pttls) / seconds;
  }

  double shopCommandsPerSecond() {
    return shopCalls / seconds;
  }

  /** The snapshot's commands as a share of the shop's own. */
  double shareOfShop() {
    return shopCalls == 0 ? 0 : (double) (dumps + pttls) / shopCalls;
  }

  /** Value bytes per second the snapshot read; -1 if the agent did not say its bytes per key. */
  double bytesPerSecond() {
    return bytesPerKey < 0 ? -1 : dumps / seconds * bytesPerKey;
  }
}
