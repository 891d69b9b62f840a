package dev.keywarm.runner;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file that a reader (a readiness probe, the next warm) can read at any moment: each write goes
 * to a temporary file in the same directory, which then replaces the old one in one rename, so a
 * reader sees the old content or the new, never a partial write, and a crash leaves the old file
 * intact.
 */
public final class AtomicFile {

  /** Writes the content to a stream; may throw. */
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  public static void replace(Path file, Content content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
        content.writeTo(out);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
