package dev.keywarm.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program in a fresh JVM with the built agent jar attached by {@code -javaagent}, exactly as
 * a user would. The caller chooses the class path (never the agent's own classes: the agent must
 * reach the application the way it does in production).
 */
public final class ChildJvm {

  /** What the child printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Lines of standard error that contain {@code fragment}. */
    public long stderrLines(String fragment) {
      return stderr.lines().filter(line -> line.contains(fragment)).count();
    }
  }

  /** The built agent jar: {@code -Dkeywarm.agent.jar}, else {@code target/keywarm.jar}. */
  public static Path agentJar() {
    Path jar = Path.of(System.getProperty("keywarm.agent.jar", "target/keywarm.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("agent jar not built: " + jar + " (run mvn verify)");
    }
    return jar;
  }

  /** Runs {@code main} with the agent ({@code agentArgs}; null: no agent) and waits for it. */
  public static Result run(String agentArgs, String classPath, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return run(agentArgs, classPath, List.of(), main, args);
  }

  public static Result run(
      String agentArgs, String classPath, List<String> jvmOptions, Class<?> main, String... args)
      throws IOException, InterruptedException {
    Process process = start(agentArgs, classPath, jvmOptions, main, args);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish in 120 s");
    }
    return result(process);
  }

  /** Starts {@code main} without waiting; collect it with {@link #result(Process)}. */
  public static Process start(
      String agentArgs, String classPath, List<String> jvmOptions, Class<?> main, String... args)
      throws IOException {
    return start(currentJava(), agentArgs, classPath, jvmOptions, main, args);
  }

  /** The {@code java} of the JVM running the tests. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Like {@link #start(String, String, List, Class, String...)} on another installed JDK. */
  public static Process start(
      Path java,
      String agentArgs,
      String classPath,
      List<String> jvmOptions,
      Class<?> main,
      String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    if (agentArgs != null) {
      command.add(
          "-javaagent:"
              + agentJar().toAbsolutePath()
              + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
    }
    command.add("-Xmx256m");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("keywarm-child", ".out");
    Path err = Files.createTempFile("keywarm-child", ".err");
    out.toFile().deleteOnExit();
    err.toFile().deleteOnExit();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("KEYWARM_"));
    Process process = builder.start();
    OUTPUTS.put(process, new Path[] {out, err});
    return process;
  }

  /** Runs {@code java -jar jar args...}, e.g. the agent's own command line. */
  public static Result runJar(Path jar, String... args) throws IOException, InterruptedException {
    return runJar(currentJava(), jar, args);
  }

  /** Runs {@code java -jar jar args...} with the given {@code java}. */
  public static Result runJar(Path java, Path jar, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(java.toString(), "-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    String out = new String(process.getInputStream().readAllBytes());
    String err = new String(process.getErrorStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("java -jar did not finish in 60 s");
    }
    return new Result(process.exitValue(), out, err);
  }

  /** Where a started child's standard output goes, to watch it while it runs. */
  public static Path stdoutFile(Process process) {
    return OUTPUTS.get(process)[0];
  }

  /** Where a started child's standard error goes. */
  public static Path stderrFile(Process process) {
    return OUTPUTS.get(process)[1];
  }

  /** The output of a child that has exited. */
  public static Result result(Process process) throws IOException {
    Path[] files = OUTPUTS.remove(process);
    return new Result(process.exitValue(), Files.readString(files[0]), Files.readString(files[1]));
  }

  private static final java.util.Map<Process, Path[]> OUTPUTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private ChildJvm() {}
}
