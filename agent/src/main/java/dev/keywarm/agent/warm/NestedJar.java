package dev.keywarm.agent.warm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * A jar the keywarm jar carries inside itself ({@code META-INF/keywarm/*.jar}): the warm-runner and
 * the analyzer, each with its own Redis client and libraries. Copied out to a temporary file
 * (deleted when the JVM exits) and loaded in an isolated {@link RunnerClassLoader}, so that nothing
 * of it can clash with an application's libraries or be recorded by the hooks.
 */
public final class NestedJar {

  public static final String WARM_RUNNER = "META-INF/keywarm/warm-runner.jar";
  public static final String ANALYZER = "META-INF/keywarm/analyzer.jar";

  private NestedJar() {}

  /**
   * A class loader for {@code entry} of {@code outerJar}, with {@code parent} for what it shares.
   */
  public static ClassLoader load(File outerJar, String entry, ClassLoader parent)
      throws IOException {
    if (outerJar == null) {
      throw new IOException("the keywarm jar is not known, so " + entry + " cannot be loaded");
    }
    String name = entry.substring(entry.lastIndexOf('/') + 1, entry.length() - 4);
    Path extracted = Files.createTempFile("keywarm-" + name, ".jar");
    extracted.toFile().deleteOnExit();
    try (JarFile jar = new JarFile(outerJar)) {
      if (jar.getEntry(entry) == null) {
        throw new IOException(outerJar.getName() + " carries no " + entry);
      }
      try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
        Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    URL url = extracted.toUri().toURL();
    return new RunnerClassLoader("keywarm-" + name, url, parent);
  }
}
