package dev.keywarm.runner.report;

/** JMX view of a warm run: {@code dev.keywarm:type=WarmRunner,app=<app>}. */
public interface WarmRunnerMXBean {

  String getState();

  long getPlanned();

  long getWarmed();

  long getSkippedExisting();

  long getMissing();

  long getFailed();

  long getTimedOut();

  long getNoLoader();

  /** Of {@link #getNoLoader}, the hash fields (no field loader for their hash's key). */
  long getNoFieldLoader();

  /** Snapshot entries put back with {@code RESTORE}. */
  long getRestored();

  /** Snapshot entries not restorable (written since read, expired, ...). */
  long getSnapshotSkipped();

  long getBytesWritten();

  double getCoverage();

  int getConcurrencyLimit();

  long getConcurrencyDecreases();
}
