package dev.keywarm.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Replays accesses {@code [from, to)} of a cache2k trace through Jedis as cache-aside reads (GET,
 * and SET on a miss), in pipelined batches so that millions of accesses take seconds. Run in a
 * child JVM with the agent attached, like {@link ShopApp}; it knows nothing of keywarm.
 *
 * <p>Args: host port trace from to
 */
public final class TraceReplayApp {

  private static final int BATCH = 256;

  public static void main(String[] args) throws Exception {
    CacheTrace trace = CacheTrace.read(Path.of(args[2]));
    int from = Integer.parseInt(args[3]);
    int to = Math.min(trace.size(), Integer.parseInt(args[4]));
    long misses = 0;
    long startedAt = System.nanoTime();
    try (Jedis cache = new Jedis(args[0], Integer.parseInt(args[1]))) {
      for (int start = from; start < to; start += BATCH) {
        int end = Math.min(to, start + BATCH);
        List<String> keys = new ArrayList<>(end - start);
        List<Response<String>> values = new ArrayList<>(end - start);
        Pipeline reads = cache.pipelined();
        for (int i = start; i < end; i++) {
          String key = trace.key(trace.ids()[i]);
          keys.add(key);
          values.add(reads.get(key));
        }
        reads.sync();
        Pipeline writes = cache.pipelined();
        for (int i = 0; i < keys.size(); i++) {
          if (values.get(i).get() == null) {
            writes.setex(keys.get(i), 3600, "v");
            misses++;
          }
        }
        writes.sync();
        if ((start - from) / BATCH % 2000 == 0) {
          System.out.printf(
              "  replay %s: %,d / %,d accesses%n", trace.name(), start - from, to - from);
        }
      }
    }
    System.out.printf(
        "  replayed %,d accesses of %s in %.1f s (%,d misses)%n",
        to - from, trace.name(), (System.nanoTime() - startedAt) / 1e9, misses);
  }
}
