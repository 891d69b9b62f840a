package dev.keywarm.demo;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.RedisServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The README's first command, end to end: starts a real Redis (REDIS_URL if set, else redis-server
 * from PATH, else the binary the embedded-redis artifact ships — nothing to install), runs the
 * unmodified {@link ShopApp} in its own JVM with {@code -javaagent:keywarm-agent.jar}, then shows what
 * the agent recorded in the hourly sorted sets.
 *
 * <p>Args (all optional): {@code --seconds N} (default 10), {@code --threads N} (default 4).
 */
public final class DemoMain {

  public static void main(String[] args) throws Exception {
    int seconds = intArg(args, "--seconds", 10);
    int threads = intArg(args, "--threads", 4);
    Path agentJar = agentJar();
    String app = "demo";

    try (RedisServer redis = RedisServer.start()) {
      System.out.println("keywarm demo");
      System.out.println("  Redis:  " + redis.uri().replaceAll(":[^:@/]*@", ":***@"));
      System.out.println("  agent:  -javaagent:" + agentJar + "=app=" + app + ",flush=2s");
      System.out.println("  app:    ShopApp, " + threads + " threads, " + seconds
          + " s, Zipf(1.0) over " + ShopApp.PRODUCTS + " products, 2 ms database loads");
      System.out.println();
      clearPreviousRun(redis, app);

      Process shop = new ProcessBuilder(javaBinary(), "-javaagent:" + agentJar + "=app=" + app
          + ",redis=" + redis.uri() + ",flush=2s", "-cp", ownClassPath(),
          ShopApp.class.getName(), redis.host(), Integer.toString(redis.port()),
          Integer.toString(seconds), Integer.toString(threads))
          .inheritIO()
          .start();
      int exit = shop.waitFor();
      if (exit != 0) {
        System.err.println("the shop exited with " + exit);
        System.exit(exit);
      }
      System.out.println();
      report(redis, app);
    }
  }

  private static void report(RedisServer redis, String app) {
    KeySchema schema = KeySchema.forApp(app);
    HourBucket hour = HourBucket.ofEpochMillis(System.currentTimeMillis());
    try (Jedis jedis = connect(redis)) {
      List<HourBucket> hours = List.of(hour.plusHours(-1), hour);
      String union = "demo:report:reads";
      List<String> sources = new ArrayList<>();
      for (HourBucket h : hours) {
        sources.add(schema.hourly(h, HourlySet.HITS));
        sources.add(schema.hourly(h, HourlySet.MISSES));
      }
      jedis.zunionstore(union, sources.toArray(new String[0]));
      long keys = jedis.zcard(union);
      System.out.println("What the agent recorded (" + keys + " keys read; sorted sets "
          + schema.hourly(hour, HourlySet.HITS).replace(":hits", ":{hits,misses,writes,loadus,loads}")
          + "):");
      System.out.printf("  %-26s %9s %9s %9s %8s %12s%n", "key", "reads", "hits", "misses",
          "hit %", "load ms");
      for (Tuple top : jedis.zrevrangeWithScores(union.getBytes(StandardCharsets.UTF_8), 0, 9)) {
        byte[] member = top.getBinaryElement();
        long hits = sum(jedis, schema, hours, HourlySet.HITS, member);
        long misses = sum(jedis, schema, hours, HourlySet.MISSES, member);
        long loads = sum(jedis, schema, hours, HourlySet.LOADS, member);
        long loadMicros = sum(jedis, schema, hours, HourlySet.LOAD_MICROS, member);
        System.out.printf("  %-26s %,9d %,9d %,9d %7.1f%% %12s%n",
            new String(member, StandardCharsets.UTF_8), hits + misses, hits, misses,
            100.0 * hits / Math.max(1, hits + misses),
            loads == 0 ? "-" : String.format("%.2f", loadMicros / 1000.0 / loads));
      }
      jedis.del(union);
      System.out.println();
      System.out.println("Look yourself: redis-cli -p " + redis.port() + " ZREVRANGE '"
          + schema.hourly(hour, HourlySet.HITS) + "' 0 9 WITHSCORES");
    }
  }

  private static long sum(Jedis jedis, KeySchema schema, List<HourBucket> hours, HourlySet set,
      byte[] member) {
    long total = 0;
    for (HourBucket h : hours) {
      Double score = jedis.zscore(schema.hourly(h, set).getBytes(StandardCharsets.UTF_8), member);
      total += score == null ? 0 : Math.round(score);
    }
    return total;
  }

  private static void clearPreviousRun(RedisServer redis, String app) {
    try (Jedis jedis = connect(redis)) {
      for (String key : jedis.keys(KeySchema.PREFIX + "{" + app + "}:*")) {
        jedis.del(key);
      }
      for (String key : jedis.keys("product:*")) {
        jedis.del(key);
      }
    }
  }

  private static Jedis connect(RedisServer redis) {
    return new Jedis(java.net.URI.create(redis.uri()));
  }

  private static Path agentJar() {
    String configured = System.getProperty("keywarm.agent.jar");
    List<Path> candidates = configured != null ? List.of(Path.of(configured))
        : List.of(Path.of("agent/target/keywarm-agent.jar"), Path.of("../agent/target/keywarm-agent.jar"));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    System.err.println("keywarm-agent.jar not found (" + candidates + "); build it first: "
        + "mvn -q -DskipTests package");
    System.exit(2);
    return null;
  }

  private static String ownClassPath() throws Exception {
    return new File(DemoMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getPath();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
