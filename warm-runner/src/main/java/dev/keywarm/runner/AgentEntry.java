package dev.keywarm.runner;

import dev.keywarm.redis.RespConnection;
import dev.keywarm.runner.cli.WarmCommand;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.KeySchema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * How the agent starts a warm (on JVM start, or after it saw the cache Redis restart): the same
 * flags as the {@code keywarm warm} CLI, the application's class loader for its {@code
 * KeyLoaderProvider}s, and a background thread. The agent loads this class from its own isolated
 * class loader and calls it reflectively, so the signature uses JDK types only.
 */
public final class AgentEntry {

  private AgentEntry() {}

  /**
   * Does once, ahead of need, what the first warm would otherwise pay for inside the application's
   * busy JVM — parsing the flags, loading and linking the runner and its Redis client, connecting:
   * parses {@code args}, opens the stats Redis the way a warm does, reads the snapshot's meta and
   * closes again. The agent calls it on a background thread at start with {@code warm=on-restart},
   * so that the restore after a cold restart begins within milliseconds. Never throws; a failure
   * only means the warm does this itself later.
   */
  public static void prepare(String[] args) {
    try {
      new CommandLine(new WarmCommand()).parseArgs(args);
      String stats = flag(args, "--stats-redis");
      String uri = stats != null ? stats : flag(args, "--redis");
      try (RedisTarget target =
          RedisTarget.connect(uri, java.time.Duration.ofSeconds(2), java.time.Duration.ZERO)) {
        KeySchema schema = KeySchema.forApp(flag(args, "--app"));
        target.client().hgetAll(schema.snapshotMeta());
        try (RespConnection resp = RespConnection.open(target.endpoint(), 2_000, "keywarm-warm")) {
          resp.send("EXISTS", schema.snapshotRank());
          resp.flush();
          resp.read();
        }
      }
      for (Class<?> type : AHEAD) {
        Class.forName(type.getName(), true, type.getClassLoader());
      }
    } catch (Throwable t) {
      // not prepared: the warm loads and connects when it runs
    }
  }

  private static String flag(String[] args, String name) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return null;
  }

  /** Classes of a warm's first seconds that {@link #prepare} does not reach by connecting. */
  private static final Class<?>[] AHEAD = {
    WarmRunner.class,
    dev.keywarm.runner.engine.SnapshotRestore.class,
    dev.keywarm.runner.restore.SnapshotReader.class,
    dev.keywarm.schema.snapshot.SnapshotEntry.class,
    dev.keywarm.runner.lease.FleetLease.class,
    dev.keywarm.runner.report.ProgressReporter.class,
    dev.keywarm.runner.report.Readiness.class,
  };

  /**
   * Starts the re-warmer for {@code rewarm=on-delete} with the warm's flags; the agent hands the
   * returned consumer every key the application deleted. Lives as long as the JVM.
   *
   * @throws IllegalArgumentException for flags the CLI would reject, with its one-line message
   */
  public static java.util.function.Consumer<byte[]> rewarmer(
      String[] args, ClassLoader applicationLoader, long delayMillis) {
    WarmRunner.Builder builder = builder(args, applicationLoader, new ArrayList<>());
    return builder.build().rewarmOnDelete(java.time.Duration.ofMillis(delayMillis));
  }

  /**
   * Starts the standing warm ({@code standing=…}) with the warm's flags and the application's
   * loaders: {@code options} are the agent's standing options as written, name → text ({@code
   * standing}, {@code standingrate}, {@code nexthourlead}, … — {@code
   * StandingSettings.fromOptions}; absent ones take their default). Lives until closed; closing it
   * also closes the loaders' connections (a copy loader's). The returned object is also a {@code
   * Supplier<Map<String, Number>>} of its counters by name, for the agent's meters.
   *
   * @throws IllegalArgumentException for flags the CLI would reject, a bad or unknown option, or no
   *     technique on, with a one-line message
   */
  public static AutoCloseable standingWarm(
      String[] args, ClassLoader applicationLoader, java.util.Map<String, String> options) {
    dev.keywarm.runner.standing.StandingSettings standing =
        dev.keywarm.runner.standing.StandingSettings.fromOptions(options);
    List<AutoCloseable> closeables = new ArrayList<>();
    WarmRunner.Builder builder = builder(args, applicationLoader, closeables);
    try {
      return builder.build().standingWarm(standing).alsoCloses(closeables);
    } catch (RuntimeException e) {
      closeables.forEach(AgentEntry::closeQuietly);
      throw e;
    }
  }

  /**
   * Starts a warm; the future completes with the one-line result summary when it ends, whatever its
   * outcome (a failure is a status in the summary, not an exception).
   *
   * @throws IllegalArgumentException for flags the CLI would reject, with its one-line message
   */
  public static CompletableFuture<String> start(String[] args, ClassLoader applicationLoader) {
    return start(args, applicationLoader, null);
  }

  /**
   * {@link #start(String[], ClassLoader)}, and {@code onReady} runs once when the warm is first
   * ready (coverage target reached, or its end): the agent's readiness gate opens then.
   */
  public static CompletableFuture<String> start(
      String[] args, ClassLoader applicationLoader, Runnable onReady) {
    List<AutoCloseable> closeables = new ArrayList<>();
    WarmRunner.Builder builder =
        builder(args, applicationLoader, closeables).progressInterval(WarmCommand.LINES_INTERVAL);
    if (onReady != null) {
      builder.onReady(onReady);
    }
    return builder
        .build()
        .start()
        .result()
        .thenApply(
            result -> {
              for (AutoCloseable closeable : closeables) {
                try {
                  closeable.close();
                } catch (Exception ignored) {
                  // the warm is over; a source connection that fails to close changes nothing
                }
              }
              return result.summary();
            });
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // not started: nothing depends on it
    }
  }

  /** The CLI's flags as a builder, with the application's loaders. */
  private static WarmRunner.Builder builder(
      String[] args, ClassLoader applicationLoader, List<AutoCloseable> closeables) {
    WarmCommand command = new WarmCommand();
    try {
      new CommandLine(command).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    WarmRunner.Builder builder = command.configure(closeables);
    if (applicationLoader != null) {
      builder.classLoader(applicationLoader);
    }
    return builder;
  }
}
