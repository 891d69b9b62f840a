package dev.keywarm.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a program in a fresh JVM with the built agent jar attached by {@code -javaagent}, exactly as a
 * user would, and a chosen Jedis version on its class path (never the agent's own classes).
 */
final class ChildJvm {

  /** What the child printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
    long stderrLines(String fragment) {
      return stderr.lines().filter(line -> line.contains(fragment)).count();
    }
  }

  static Path agentJar() {
    Path jar = Path.of(System.getProperty("keywarm.agent.jar", "target/keywarm-agent.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("agent jar not built: " + jar + " (run mvn verify)");
    }
    return jar;
  }

  static List<String> jedisVersions() {
    return List.of(System.getProperty("keywarm.it.jedis", "5.2.0").split(","));
  }

  /** Test classes plus one Jedis version and the libraries every Jedis needs. */
  static String classPath(String jedisVersion) throws IOException {
    return classPath("jedis-" + jedisVersion, false);
  }

  /** Test classes plus one client library directory ({@code jedis-5.2.0}, {@code lettuce-6.5.5}). */
  static String classPath(String library, boolean selfContained) throws IOException {
    Path libs = Path.of(System.getProperty("keywarm.it.libs", "target/it-libs"));
    List<String> entries = new ArrayList<>();
    entries.add(Path.of("target/test-classes").toAbsolutePath().toString());
    List<Path> dirs = selfContained ? List.of(libs.resolve(library))
        : List.of(libs.resolve(library), libs.resolve("common"));
    for (Path dir : dirs) {
      try (Stream<Path> jars = Files.list(dir)) {
        entries.addAll(jars.map(p -> p.toAbsolutePath().toString()).sorted().collect(Collectors.toList()));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  static Result run(String agentArgs, String classPath, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return run(agentArgs, classPath, List.of(), main, args);
  }

  static Result run(String agentArgs, String classPath, List<String> jvmOptions, Class<?> main,
      String... args) throws IOException, InterruptedException {
    Process process = start(agentArgs, classPath, jvmOptions, main, args);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish in 120 s");
    }
    return result(process);
  }

  static Process start(String agentArgs, String classPath, List<String> jvmOptions, Class<?> main,
      String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agentArgs != null) {
      command.add("-javaagent:" + agentJar().toAbsolutePath() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
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
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("KEYWARM_"));
    Process process = builder.start();
    OUTPUTS.put(process, new Path[] {out, err});
    return process;
  }

  /** Runs {@code java -jar jar args...}, e.g. the agent's own command line. */
  static Result runJar(Path jar, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toAbsolutePath().toString()));
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

  static Path stdoutFile(Process process) {
    return OUTPUTS.get(process)[0];
  }

  static Result result(Process process) throws IOException {
    Path[] files = OUTPUTS.remove(process);
    return new Result(process.exitValue(), Files.readString(files[0]), Files.readString(files[1]));
  }

  private static final java.util.Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

  private ChildJvm() {}
}
