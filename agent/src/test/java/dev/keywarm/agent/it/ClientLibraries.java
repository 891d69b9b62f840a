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
 * Class paths for the child JVMs: this module's test classes plus one client library version, as
 * copied by the build into {@code target/it-libs} (see the agent pom's jedis-matrix and
 * lettuce-matrix executions).
 */
final class ClientLibraries {

  private ClientLibraries() {}

  static List<String> jedisVersions() {
    return List.of(System.getProperty("keywarm.it.jedis", "5.2.0").split(","));
  }

  /** Test classes plus one Jedis version and the libraries every Jedis needs. */
  static String jedis(String version) throws IOException {
    return classPath("jedis-" + version, true);
  }

  /** Test classes plus one Lettuce version and its own dependencies. */
  static String lettuce(String version) throws IOException {
    return classPath("lettuce-" + version, false);
  }

  private static String classPath(String library, boolean withCommon) throws IOException {
    Path libs = Path.of(System.getProperty("keywarm.it.libs", "target/it-libs"));
    List<String> entries = new ArrayList<>();
    entries.add(Path.of("target/test-classes").toAbsolutePath().toString());
    List<Path> dirs = withCommon ? List.of(libs.resolve(library), libs.resolve("common"))
        : List.of(libs.resolve(library));
    for (Path dir : dirs) {
      try (Stream<Path> jars = Files.list(dir)) {
        entries.addAll(jars.map(p -> p.toAbsolutePath().toString()).sorted()
            .collect(Collectors.toList()));
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
