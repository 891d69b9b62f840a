package dev.keywarm.runner;

import dev.keywarm.runner.cli.WarmCommand;
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
   * Starts a warm; the future completes with the one-line result summary when it ends, whatever its
   * outcome (a failure is a status in the summary, not an exception).
   *
   * @throws IllegalArgumentException for flags the CLI would reject, with its one-line message
   */
  public static CompletableFuture<String> start(String[] args, ClassLoader applicationLoader) {
    WarmCommand command = new WarmCommand();
    try {
      new CommandLine(command).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    List<AutoCloseable> closeables = new ArrayList<>();
    WarmRunner.Builder builder =
        command.configure(closeables).progressInterval(WarmCommand.LINES_INTERVAL);
    if (applicationLoader != null) {
      builder.classLoader(applicationLoader);
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
}
