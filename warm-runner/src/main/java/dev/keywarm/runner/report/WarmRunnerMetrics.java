package dev.keywarm.runner.report;

import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.WarmProgress;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.ObjectName;

/**
 * Publishes a run's progress as an MXBean. A later run of the same app replaces the bean, so it
 * always shows the latest run; a locked-down MBean server costs the bean, never the warm.
 */
public final class WarmRunnerMetrics implements WarmRunnerMXBean {

  private final Supplier<WarmProgress> progress;

  private WarmRunnerMetrics(Supplier<WarmProgress> progress) {
    this.progress = progress;
  }

  static ObjectName name(String app) throws Exception {
    return new ObjectName("dev.keywarm:type=WarmRunner,app=" + ObjectName.quote(app));
  }

  public static void register(String app, Supplier<WarmProgress> progress) {
    try {
      ObjectName name = name(app);
      var server = ManagementFactory.getPlatformMBeanServer();
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
      server.registerMBean(new WarmRunnerMetrics(progress), name);
    } catch (Exception | LinkageError e) {
      WarmLog.warn("JMX bean not registered: " + e);
    }
  }

  @Override
  public String getState() {
    return progress.get().state();
  }

  @Override
  public long getPlanned() {
    return progress.get().planned();
  }

  @Override
  public long getWarmed() {
    return progress.get().warmed();
  }

  @Override
  public long getSkippedExisting() {
    return progress.get().skippedExisting();
  }

  @Override
  public long getMissing() {
    return progress.get().missing();
  }

  @Override
  public long getFailed() {
    return progress.get().failed();
  }

  @Override
  public long getTimedOut() {
    return progress.get().timedOut();
  }

  @Override
  public long getNoLoader() {
    return progress.get().noLoader();
  }

  @Override
  public long getNoFieldLoader() {
    return progress.get().noFieldLoader();
  }

  @Override
  public long getRestored() {
    return progress.get().restored();
  }

  @Override
  public long getSnapshotSkipped() {
    return progress.get().snapshotSkipped();
  }

  @Override
  public long getBytesWritten() {
    return progress.get().bytesWritten();
  }

  @Override
  public double getCoverage() {
    return progress.get().coverage();
  }

  @Override
  public int getConcurrencyLimit() {
    return progress.get().concurrencyLimit();
  }

  @Override
  public long getConcurrencyDecreases() {
    return progress.get().concurrencyDecreases();
  }
}
