package dev.keywarm.springit;

import java.io.File;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How the Spring ITs start their applications. */
final class SpringApps {

  private SpringApps() {}

  /** The application's class path: this module's test class path without the agent's own jar. */
  static String classPath() {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.contains("keywarm-agent"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
