package dev.keywarm.runner.plan;

import dev.keywarm.runner.AtomicFile;
import dev.keywarm.schema.plan.PlanFile;
import dev.keywarm.schema.plan.WarmPlan;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The last plan this host warmed from, on local disk: the cache Redis is exactly what restarts, and
 * if the stats and plans live in it they are gone with it — the snapshot is what a warm after that
 * restart can still use. It holds the plan as it was read (its format: {@link PlanFile}), so a warm
 * at another hour of day orders it for that hour. Written only from a plan read completely and not
 * empty, and replaced in one rename ({@link AtomicFile}), so a crash or a partial read never leaves
 * a damaged or weaker snapshot behind.
 */
public final class PlanSnapshot {

  private PlanSnapshot() {}

  /** {@code <tmpdir>/keywarm/<app>.plan}: per host and app, outliving the process. */
  public static Path defaultFile(String app) {
    return Path.of(System.getProperty("java.io.tmpdir"), "keywarm", app + ".plan");
  }

  public static void save(WarmPlan plan, Path file) throws IOException {
    AtomicFile.replace(
        file,
        out -> {
          DataOutputStream data = new DataOutputStream(out);
          PlanFile.write(plan, data);
          data.flush();
        });
  }

  /** The saved plan, or null if there is none; a damaged file is an IOException. */
  public static WarmPlan load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      return PlanFile.read(in);
    }
  }
}
