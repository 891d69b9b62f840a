package dev.keywarm.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The README's first command, end to end: starts a real Redis for the cache and one for keywarm's
 * stats (REDIS_URL if set, else redis-server from PATH, else the binary the embedded-redis artifact
 * ships — nothing to install), runs the unmodified {@link ShopApp} in its own JVM with {@code
 * -javaagent:keywarm.jar}, analyzes what it recorded, and restarts the cache cold three times:
 * keywarm restoring its hot-set snapshot with no loader code, keywarm warming through the shop's
 * loader, and no warming (see {@link DemoStory}).
 *
 * <p>Args (all optional): {@code --quick} (about a minute), {@code --out DIR} (default: the working
 * directory's {@code target/} if there is one), {@code --rate N} (the shop's requests/s), {@code
 * --client jedis|lettuce|redisson}; {@code --standing} or {@code --next-hour} [{@code
 * --standing-args OPTS}] (the standing warm's refresh-ahead or next-hour technique, {@link
 * StandingStory}, {@link NextHourStory}); {@code --db-curve} (the simulated database alone: latency
 * against load, see {@link DatabaseCurve}); or {@code --trace FILE.xz [--window N] [--next-window
 * N]} to replay a cache2k trace instead (see {@link TraceReplay}).
 */
public final class DemoMain {

  public static void main(String[] args) throws Exception {
    List<String> list = Arrays.asList(args);
    Path agentJar = agentJar();
    Path outDir =
        Path.of(
            stringArg(
                args,
                "--out",
                Files.isDirectory(Path.of("demo/target"))
                    ? "demo/target"
                    : Files.isDirectory(Path.of("target")) ? "target" : "."));
    if (list.contains("--trace")) {
      TraceReplay.main(agentJar, args);
      return;
    }
    if (list.contains("--dashboard-preview")) {
      DashboardPreview.main(agentJar, outDir, intArg(args, "--seconds", 90));
      return;
    }
    DemoStory.Options options =
        list.contains("--quick") ? DemoStory.Options.quick(outDir) : DemoStory.Options.full(outDir);
    if (list.contains("--standing")) {
      new StandingStory(
              StandingStory.Options.full(outDir, stringArg(args, "--standing-args", "")), agentJar)
          .run();
      return;
    }
    if (list.contains("--next-hour")) {
      new NextHourStory(
              NextHourStory.Options.full(outDir, stringArg(args, "--standing-args", "")), agentJar)
          .run();
      return;
    }
    if (list.contains("--db-curve")) {
      DatabaseCurve.main();
      return;
    }
    options =
        options
            .withRate(
                Double.parseDouble(stringArg(args, "--rate", Double.toString(options.rate()))))
            .withClient(stringArg(args, "--client", "jedis"));
    new DemoStory(options, agentJar).run();
  }

  static Path agentJar() {
    String configured = System.getProperty("keywarm.agent.jar");
    List<Path> candidates =
        configured != null
            ? List.of(Path.of(configured))
            : List.of(Path.of("agent/target/keywarm.jar"), Path.of("../agent/target/keywarm.jar"));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    System.err.println(
        "keywarm.jar not found ("
            + candidates
            + "); build it first: "
            + "mvn -q -DskipTests install");
    System.exit(2);
    return null;
  }

  static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
  }
}
