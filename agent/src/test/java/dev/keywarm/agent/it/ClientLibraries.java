package dev.keywarm.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Class paths for the child JVMs: this module's test classes plus one client library version with
 * its own dependencies, as the {@code it-clients} modules copy them ({@code
 * it-clients/<client>-<version>/ target/libs}). Those modules are the one place the version matrix
 * is written; the versions here are read from their names.
 */
final class ClientLibraries {

  /** The versions the hooks compile against (the poms' jedis.version, lettuce.version). */
  private static final String DEFAULT_JEDIS =
      System.getProperty("keywarm.it.jedis.default", "5.2.0");

  private static final String DEFAULT_LETTUCE =
      System.getProperty("keywarm.it.lettuce.default", "6.5.5").replace(".RELEASE", "");

  private ClientLibraries() {}

  static List<String> jedisVersions() throws IOException {
    return versions("jedis");
  }

  static List<String> lettuceVersions() throws IOException {
    return versions("lettuce");
  }

  static List<String> redissonVersions() throws IOException {
    return versions("redisson");
  }

  /** Test classes plus one Redisson version and its dependencies (Netty, Reactor, RxJava...). */
  static String redisson(String version) throws IOException {
    return classPath("redisson-" + version);
  }

  /** valkey-java, Valkey's fork of Jedis (root package {@code io.valkey}). */
  static List<String> valkeyVersions() throws IOException {
    return versions("valkey-java");
  }

  static String valkey(String version) throws IOException {
    return classPath("valkey-java-" + version);
  }

  /** Test classes plus one Jedis version and its dependencies. */
  static String jedis(String version) throws IOException {
    return classPath("jedis-" + version);
  }

  static String jedis() throws IOException {
    return jedis(DEFAULT_JEDIS);
  }

  /** Test classes plus one Lettuce version and its dependencies. */
  static String lettuce(String version) throws IOException {
    return classPath("lettuce-" + version);
  }

  static String lettuce() throws IOException {
    return lettuce(DEFAULT_LETTUCE);
  }

  private static Path clients() {
    return Path.of(System.getProperty("keywarm.it.clients", "../it-clients"));
  }

  private static List<String> versions(String client) throws IOException {
    try (Stream<Path> modules = Files.list(clients())) {
      return modules
          .map(module -> module.getFileName().toString())
          .filter(name -> name.startsWith(client + "-"))
          .map(name -> name.substring(client.length() + 1))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static String classPath(String module) throws IOException {
    Path libs = clients().resolve(module).resolve("target/libs");
    if (!Files.isDirectory(libs)) {
      throw new IllegalStateException(
          libs
              + " is missing: build the client matrix first "
              + "(mvn -pl it-clients -amd install -DskipTests, or the whole project)");
    }
    List<String> entries = new ArrayList<>();
    entries.add(Path.of("target/test-classes").toAbsolutePath().toString());
    try (Stream<Path> jars = Files.list(libs)) {
      entries.addAll(
          jars.map(p -> p.toAbsolutePath().toString()).sorted().collect(Collectors.toList()));
    }
    return String.join(File.pathSeparator, entries);
  }
}
