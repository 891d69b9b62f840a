package dev.keywarm.runner.readiness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file that a readiness probe (e.g. {@code grep -q '"state":"ready"' file}) can read at any moment:
 * each update is written to a temp file in the same directory and renamed over the old one, so a
 * reader sees the old content or the new, never a partial write.
 */
public final class ReadinessFile {

  private final Path file;

  public ReadinessFile(Path file) {
    this.file = file.toAbsolutePath();
  }

  public void write(String content) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public Path path() {
    return file;
  }
}
