package dev.keywarm.runner.report;

import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.WarmProgress;
import dev.keywarm.schema.KeySchema.WarmResultField;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What readiness probes see of a run: the same JSON in the {@link ReadinessFile} and from the
 * {@link ReadinessEndpoint}, each optional — {@code
 * {"state":"warming"|"ready","status":"running"|<status>,"app":…,"coverage":0.9231,"planned":…,…}}
 * with the counts of {@link ResultRecord}. Neither failing to start nor failing to write stops the
 * warm: each is one warning line.
 */
public final class Readiness {

  private final String app;
  private final ReadinessFile file;
  private final ReadinessEndpoint endpoint;
  private final boolean fixedPort;
  private boolean finished;
  private Runnable onReady;

  /**
   * @param file null for none; @param port -1 for no endpoint, 0 for any free port
   */
  public Readiness(String app, Path file, int port) {
    this(app, file, port, null);
  }

  /**
   * @param onReady run once, the first time the run is ready (its coverage target reached, or its
   *     end, whatever the status); null for none
   */
  public Readiness(String app, Path file, int port, Runnable onReady) {
    this.onReady = onReady;
    this.app = app;
    this.file = file == null ? null : new ReadinessFile(file);
    this.endpoint = port < 0 ? null : start(port);
    this.fixedPort = port > 0;
  }

  private static ReadinessEndpoint start(int port) {
    try {
      ReadinessEndpoint endpoint = new ReadinessEndpoint(port);
      WarmLog.info("readiness endpoint on port " + endpoint.port());
      return endpoint;
    } catch (IOException e) {
      WarmLog.warn("readiness endpoint not started on port " + port + ": " + e);
      return null;
    }
  }

  /**
   * @param status {@code running} while the run goes on, then its status
   */
  public synchronized void update(boolean ready, String status, WarmProgress progress) {
    if (finished && "running".equals(status)) {
      return; // a progress report that lost the race with the end: the end's record stands
    }
    finished |= !"running".equals(status);
    if ((ready || finished) && onReady != null) {
      Runnable first = onReady;
      onReady = null;
      try {
        first.run();
      } catch (RuntimeException e) {
        WarmLog.warn("readiness listener failed: " + e);
      }
    }
    String body = json(ready, status, progress);
    if (file != null) {
      try {
        file.write(body + "\n");
      } catch (IOException e) {
        WarmLog.warn("readiness file " + file.path() + " not written: " + e);
      }
    }
    if (endpoint != null) {
      endpoint.update(ready, body);
    }
  }

  /** Releases a fixed port once the run has ended; port 0 (tests) stays up for inspection. */
  public void end() {
    if (endpoint != null && fixedPort) {
      endpoint.close();
    }
  }

  private String json(boolean ready, String status, WarmProgress p) {
    StringBuilder json =
        new StringBuilder(200)
            .append("{\"state\":\"")
            .append(ready ? "ready" : "warming")
            .append("\",\"status\":\"")
            .append(status)
            .append("\",\"app\":\"")
            .append(app)
            .append("\",\"coverage\":")
            .append(ResultRecord.coverage(p.coverage()));
    ResultRecord.counts(p)
        .forEach(
            (WarmResultField field, Long count) ->
                json.append(",\"").append(field.field()).append("\":").append(count));
    return json.append('}').toString();
  }
}
