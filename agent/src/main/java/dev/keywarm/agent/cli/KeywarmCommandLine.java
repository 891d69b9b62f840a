package dev.keywarm.agent.cli;

import dev.keywarm.agent.warm.NestedJar;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * {@code java -jar keywarm.jar <command>}: the one jar is both the agent ({@code -javaagent}) and
 * the command line. {@code list} and {@code attach} run here ({@link AgentCommandLine}); {@code
 * analyze} and {@code warm} run the analyzer and the warm-runner the jar carries ({@link
 * NestedJar}), each in its own class loader with its own libraries, so this jar's agent side stays
 * free of them.
 *
 * <p>Exit codes, for every command: 0 done; 1 failed (Redis unreachable, a warm short of its
 * target, an attach refused); 2 the command line is wrong; 3 (analyze) no data in the range.
 */
public final class KeywarmCommandLine {

  private static final String ANALYZER_MAIN = "dev.keywarm.analyzer.cli.KeywarmCommand";
  private static final String RUNNER_MAIN = "dev.keywarm.runner.cli.WarmCommand";

  private KeywarmCommandLine() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String command = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "analyze":
        return nested(
            NestedJar.ANALYZER, ANALYZER_MAIN, args); // its entry has analyze as a subcommand
      case "warm":
        return nested(NestedJar.WARM_RUNNER, RUNNER_MAIN, rest);
      case "list":
      case "attach":
        return AgentCommandLine.run(args);
      case "version":
      case "--version":
        System.out.println("keywarm " + version());
        return 0;
      case "help":
      case "--help":
      case "-h":
        if (rest.length > 0 && !rest[0].equals("help")) {
          return run(new String[] {rest[0], "--help"});
        }
        usage();
        return 0;
      default:
        if (!command.isEmpty()) {
          System.err.println("keywarm: unknown command '" + command + "'");
        }
        usage();
        return 2;
    }
  }

  private static int nested(String jar, String mainClass, String[] args) {
    try {
      // parent: this jar's own loader, which holds the loader API, the schema and the Redis layer
      ClassLoader loader = NestedJar.load(ownJar(), jar, KeywarmCommandLine.class.getClassLoader());
      Thread.currentThread().setContextClassLoader(loader);
      Class.forName(mainClass, true, loader)
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
      return 0; // a nested main that returns normally has succeeded (failures exit with their code)
    } catch (InvocationTargetException e) {
      System.err.println("keywarm: " + e.getCause());
      return 1;
    } catch (Exception e) {
      System.err.println("keywarm: cannot run this command: " + e.getMessage());
      return 1;
    }
  }

  static File ownJar() {
    try {
      File file =
          new File(
              KeywarmCommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return file.isFile() ? file : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String version() {
    String version = KeywarmCommandLine.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }

  private static void usage() {
    System.out.println(
        """
        usage: java -jar keywarm.jar <command> [options]     (java -jar keywarm.jar <command> --help)

          analyze   read the agent's hourly stats, write a hot-key report and a warm plan
          warm      warm a Redis cache from the plan: hottest first, rate-limited, never overwriting
          list      list the JVMs on this machine the agent can attach to
          attach    load the agent into a running JVM: attach <pid> [app=shop,redis=redis://host:6379]
          version   print the version

        as an agent: java -javaagent:keywarm.jar=app=shop,redis=redis://host:6379 -jar your-app.jar

        exit codes: 0 done, 1 failed, 2 wrong command line, 3 (analyze) no data in the range""");
  }
}
