package dev.keywarm.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;

/** Small things tests and demo tools need of this machine: a free port, a program on the PATH. */
public final class LocalTools {

  private LocalTools() {}

  /** A TCP port free right now on every interface (the OS picked it; free it again before use). */
  public static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  /** The executable {@code name} on the PATH, or null when it is not installed. */
  public static File onPath(String name) {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      File candidate = new File(dir, name);
      if (candidate.canExecute()) {
        return candidate;
      }
    }
    return null;
  }
}
