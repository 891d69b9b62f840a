package dev.keywarm.analyzer.tools;

import dev.keywarm.analyzer.AgentWrites;
import dev.keywarm.analyzer.cli.AnalyzeCommand;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.testsupport.RedisServer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tukaani.xz.XZInputStream;

/**
 * Not a test: loads a cache2k trace into a private redis-server as the agent would have recorded it
 * and writes the three reports. Usage: {@code TraceReport <trace.xz> <out-dir> [hours=24]
 * [lru=5000]}.
 *
 * <p>A trace is ids in access order without time, operation or outcome, so: the trace is cut into
 * {@code hours} equal slices by position, the last ending at the current UTC hour; each access is a
 * hit or a miss of a simulated LRU cache of {@code lru} keys (misses have no timed load — the
 * traces carry no load times); consecutive accesses to two different keys are recorded as a pair,
 * the agent's co-access window reduced to one step, kept when seen at least twice in an hour. orm
 * ids become {@code type{t}:{id}:{index}} (bits 27–31, 9–26, 0–8); web ids {@code product:{id}}.
 */
public final class TraceReport {

  public static void main(String[] args) throws IOException {
    Path trace = Path.of(args[0]);
    Path outDir = Path.of(args[1]);
    int hours = args.length > 2 ? Integer.parseInt(args[2]) : 24;
    int lruSize = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
    String name = trace.getFileName().toString().replace(".trace.xz", "");
    boolean orm = name.startsWith("orm");
    int[] ids = readTrace(trace);
    System.err.printf("%s: %,d accesses%n", name, ids.length);
    Files.createDirectories(outDir);
    HourBucket end = HourBucket.of(Instant.now());
    HourBucket first = end.plusHours(-hours);
    String app = name.replaceAll("[^A-Za-z0-9._-]", "-");
    try (RedisServer redis = RedisServer.start()) {
      long t0 = System.nanoTime();
      Map<Integer, Boolean> lru =
          new LinkedHashMap<>(lruSize * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
              return size() > lruSize;
            }
          };
      try (AgentWrites w = new AgentWrites(redis.host(), redis.port(), app)) {
        for (int h = 0; h < hours; h++) {
          int from = (int) ((long) ids.length * h / hours);
          int to = (int) ((long) ids.length * (h + 1) / hours);
          Map<Integer, long[]> counts = new HashMap<>(); // id → {hits, misses}
          Map<Long, Integer> pairs = new HashMap<>();
          for (int i = from; i < to; i++) {
            int id = ids[i];
            boolean hit = lru.get(id) != null;
            if (!hit) {
              lru.put(id, Boolean.TRUE);
            }
            counts.computeIfAbsent(id, x -> new long[2])[hit ? 0 : 1]++;
            if (i > from && ids[i - 1] != id) {
              pairs.merge(((long) ids[i - 1] << 32) | (id & 0xFFFFFFFFL), 1, Integer::sum);
            }
          }
          HourBucket hour = first.plusHours(h);
          for (Map.Entry<Integer, long[]> e : counts.entrySet()) {
            String key = key(e.getKey(), orm);
            w.hits(hour, key, e.getValue()[0]);
            w.misses(hour, key, e.getValue()[1]);
          }
          for (Map.Entry<Long, Integer> e : pairs.entrySet()) {
            if (e.getValue() >= 2) {
              w.pair(
                  hour,
                  key((int) (e.getKey() >>> 32), orm),
                  key((int) (long) e.getKey(), orm),
                  e.getValue());
            }
          }
        }
      }
      System.err.printf("loaded %d hours in %.1f s%n", hours, (System.nanoTime() - t0) / 1e9);
      for (String format : new String[] {"text", "json", "html"}) {
        String ext = format.equals("text") ? "txt" : format;
        int code =
            AnalyzeCommand.commandLine()
                .execute(
                    "--redis",
                    redis.uri(),
                    "--app",
                    app,
                    "--days",
                    Integer.toString(Math.max(1, hours / 24)),
                    "--to",
                    end.format(),
                    "--format",
                    format,
                    "--k",
                    "5000",
                    "--out",
                    outDir.resolve(name + "." + ext).toString());
        if (code != 0) {
          System.exit(code);
        }
      }
    }
  }

  static String key(int id, boolean orm) {
    if (!orm) {
      return "product:" + Integer.toUnsignedString(id);
    }
    return "type" + (id >>> 27) + ":" + ((id >>> 9) & 0x3FFFF) + ":" + (id & 0x1FF);
  }

  static int[] readTrace(Path path) throws IOException {
    int[] ids = new int[1 << 20];
    int n = 0;
    try (InputStream in =
            new XZInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16));
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16))) {
      while (true) {
        int id;
        try {
          id = data.readInt();
        } catch (EOFException e) {
          break;
        }
        if (n == ids.length) {
          ids = java.util.Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = id;
      }
    }
    return java.util.Arrays.copyOf(ids, n);
  }
}
