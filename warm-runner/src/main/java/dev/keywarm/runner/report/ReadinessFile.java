package dev.keywarm.runner.report;

import dev.keywarm.runner.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A file that a readiness probe (e.g. {@code grep -q '"state":"ready"' file}) can read at any
 * moment: each update replaces the whole file in one rename ({@link AtomicFile}).
 */
public final class ReadinessFile {

  private final Path file;

  public ReadinessFile(Path file) {
    this.file = file.toAbsolutePath();
  }

  public void write(String content) throws IOException {
    AtomicFile.replace(file, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  public Path path() {
    return file;
  }
}
