package dev.keywarm.analyzer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code keywarm <command>}: the analyzer jar's entry point; today its one command is analyze. */
@Command(
    name = "keywarm",
    mixinStandardHelpOptions = true,
    subcommands = AnalyzeCommand.class,
    description = "keywarm: keeps Redis caches warm.")
public final class KeywarmCommand implements java.util.concurrent.Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new KeywarmCommand())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2; // a command is required
  }
}
