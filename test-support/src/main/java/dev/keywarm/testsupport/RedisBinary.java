package dev.keywarm.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Finds the redis-server executable: the one on PATH, or the one packed in the embedded-redis jar.
 */
final class RedisBinary {

  /**
   * {@code path} or {@code embedded} forces the choice, e.g. to prove the embedded binary works
   * here.
   */
  static final String PROPERTY = "keywarm.test.redis";

  private static Path embedded; // extracted at most once per JVM

  private RedisBinary() {}

  /** The binary to run, honouring {@link #PROPERTY}; PATH first, embedded as fallback. */
  static Path resolve() {
    String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    switch (forced) {
      case "path":
        Path onPath = findOnPath();
        if (onPath == null) {
          throw new IllegalStateException(PROPERTY + "=path but no redis-server on PATH");
        }
        return onPath;
      case "embedded":
        return embedded();
      case "":
        Path found = findOnPath();
        return found != null ? found : embedded();
      default:
        throw new IllegalStateException(
            PROPERTY + " must be 'path' or 'embedded', not '" + forced + "'");
    }
  }

  /** True when {@link #PROPERTY} forces a local binary, which also overrides REDIS_URL. */
  static boolean forced() {
    return !System.getProperty(PROPERTY, "").isBlank();
  }

  private static Path findOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      for (String name : new String[] {"redis-server", "redis-server.exe"}) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** Extracts the binary matching this OS/CPU from the embedded-redis jar into a temp file. */
  static synchronized Path embedded() {
    if (embedded != null) {
      return embedded;
    }
    String resource =
        embeddedResourceName(System.getProperty("os.name"), System.getProperty("os.arch"));
    try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " not on the classpath; is embedded-redis a dependency?");
      }
      Path file = Files.createTempFile("keywarm-" + resource + "-", "");
      file.toFile().deleteOnExit(); // runs after the shutdown hook has killed the servers
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true, true)) {
        throw new IllegalStateException("cannot chmod +x " + file);
      }
      embedded = file;
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("extracting " + resource, e);
    }
  }

  /**
   * Resource names as shipped in embedded-redis 1.4.3 (their version numbers differ per platform).
   */
  static String embeddedResourceName(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean arm = arch.equals("aarch64") || arch.equals("arm64");
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean x86 = arch.equals("x86") || arch.equals("i386") || arch.equals("i686");
    if (os.contains("linux")) {
      if (x64) {
        return "redis-server-6.2.6-v5-linux-amd64";
      }
      if (arm) {
        return "redis-server-6.2.7-linux-arm64";
      }
      if (x86) {
        return "redis-server-6.2.7-linux-386";
      }
    } else if (os.contains("mac") || os.contains("darwin")) {
      if (x64) {
        return "redis-server-6.2.6-v5-darwin-amd64";
      }
      if (arm) {
        return "redis-server-6.2.6-v5-darwin-arm64";
      }
    } else if (os.contains("windows") && x64) {
      return "redis-server-5.0.14.1-windows-amd64.exe";
    }
    throw new IllegalStateException(
        "no embedded redis-server for "
            + osName
            + "/"
            + osArch
            + "; install redis-server on PATH or set REDIS_URL");
  }
}
