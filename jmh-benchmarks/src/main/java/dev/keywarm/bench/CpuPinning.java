package dev.keywarm.bench;

import dev.keywarm.testsupport.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Optional CPU placement of a benchmark fork and its redis-server ({@value #PROPERTY}): {@code off}
 * (default: the scheduler decides), {@code split} (the JVM on one CPU, redis-server on another) or
 * {@code shared} (both on one CPU).
 *
 * <p>Why: a loopback round trip costs very different amounts depending on whether client and server
 * happen to share a CPU (a context switch) or not (a cross-CPU wake-up, which in a small VM can
 * cost tens of µs) — and which of the two a fork gets is decided once, at random, when it starts.
 * Pinning removes that fork-to-fork lottery from the comparison. Uses {@code taskset} (Linux
 * util-linux).
 */
final class CpuPinning {

  static final String PROPERTY = "keywarm.bench.pin";

  private CpuPinning() {}

  static void apply(RedisServer redis) {
    String mode = System.getProperty(PROPERTY, "off");
    if (mode.equals("off")) {
      return;
    }
    int[] cpus = allowedCpus();
    if (cpus.length < 2 && mode.equals("split")) {
      throw new IllegalStateException(PROPERTY + "=split needs two CPUs");
    }
    long jvm = ProcessHandle.current().pid();
    long server = redisPid(redis);
    int jvmCpu = cpus[0];
    int serverCpu =
        switch (mode) {
          case "split" -> cpus[1];
          case "shared" -> cpus[0];
          default ->
              throw new IllegalStateException(
                  "unknown -D" + PROPERTY + "=" + mode + " (off, split, shared)");
        };
    taskset(jvmCpu, jvm);
    taskset(serverCpu, server);
    System.out.println(
        "[bench] pinned JVM "
            + jvm
            + " to CPU "
            + jvmCpu
            + ", redis-server "
            + server
            + " to CPU "
            + serverCpu);
  }

  private static int[] allowedCpus() {
    String out = run(List.of("taskset", "-c", "-p", String.valueOf(ProcessHandle.current().pid())));
    // "pid 123's current affinity list: 0,1" or "0-3"
    String list = out.substring(out.lastIndexOf(':') + 1).trim();
    return list.lines().findFirst().stream()
        .flatMap(l -> java.util.Arrays.stream(l.split(",")))
        .flatMapToInt(
            part -> {
              String[] range = part.trim().split("-");
              int from = Integer.parseInt(range[0]);
              int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
              return java.util.stream.IntStream.rangeClosed(from, to);
            })
        .toArray();
  }

  private static long redisPid(RedisServer redis) {
    String info = String.valueOf(redis.command("INFO", "server"));
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("process_id:")) {
        return Long.parseLong(line.substring("process_id:".length()).trim());
      }
    }
    throw new IllegalStateException("no process_id in INFO server");
  }

  private static void taskset(int cpu, long pid) {
    run(List.of("taskset", "-a", "-c", "-p", String.valueOf(cpu), String.valueOf(pid)));
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + command.get(0) + " (needed for -D" + PROPERTY + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A redis-server of this fork's own (never REDIS_URL's or the shared one on 6379: a benchmark
   * must not measure, or write into, someone else's server), pinned like the fork.
   */
  static RedisServer forkOwnRedis() {
    RedisServer redis = RedisServer.start();
    if (!redis.canRestart() || redis.port() == 6379) {
      String where = redis.uri();
      redis.close();
      throw new IllegalStateException(
          "refusing to benchmark against a Redis that is not this fork's own: "
              + where
              + " (unset REDIS_URL)");
    }
    apply(redis);
    return redis;
  }
}
