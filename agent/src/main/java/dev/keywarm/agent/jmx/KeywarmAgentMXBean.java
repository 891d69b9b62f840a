package dev.keywarm.agent.jmx;

/**
 * The agent seen from JMX ({@code dev.keywarm:type=Agent,app=<app>}): what it recorded, wrote and
 * could not, and a switch to stop recording without restarting the application.
 */
public interface KeywarmAgentMXBean {

  /** Hit, miss and write events drained into the in-process counters since start. */
  long getRecordedEvents();

  /** Key entries written to the stats Redis since start. */
  long getFlushedEntries();

  /**
   * Events counted but not attributable to a key: full buffers, summary evictions, full backlog.
   */
  long getDroppedEvents();

  /** Flush attempts that failed (Redis unreachable or a rejected write). */
  long getFlushErrors();

  /**
   * Members the stats Redis trimmed from hourly sets past their caps after this agent's flushes
   * (also in the hour's meta: trimmed_*_members).
   */
  long getTrimmedMembers();

  /** Events lost because a recording buffer was full (also in the hour's meta: lost_events). */
  long getLostEvents();

  /** Events counted but never written as key counters (meta: unwritten_reads/unwritten_writes). */
  long getUnwrittenEvents();

  /** Times an internal error discarded a window and the aggregator resumed after a back-off. */
  long getAggregatorRestarts();

  /** Age of the oldest window not yet written, ms; 0 when everything is written. */
  long getFlushLagMillis();

  /** Keys held in the current window's summary. */
  int getTrackedKeys();

  /** Key entries waiting to be written. */
  long getPendingEntries();

  /** Recorded commands that failed (error reply or exception). */
  long getFailedCommands();

  /** True while this instance keeps the app's hot-set snapshot (holds its lease). */
  boolean isSnapshotKeeper();

  /** Keys this instance read for the snapshot (DUMP + PTTL) since start; 0 with it off. */
  long getSnapshotKeysRead();

  /** Value bytes those reads returned. */
  long getSnapshotBytesRead();

  /** Entries the hot-set snapshot holds, on the instance that keeps it (else 0). */
  long getSnapshotEntries();

  /** Value bytes the hot-set snapshot holds, on the instance that keeps it (else 0). */
  long getSnapshotBytes();

  /** Writes, deletes and expiry changes this instance published for the snapshot. */
  long getInvalidationsPublished();

  /** The stats Redis, without credentials. */
  String getStatsTarget();

  boolean isRecording();

  /** Switches recording on or off; hooks stay installed and cost one volatile read when off. */
  void setRecording(boolean recording);
}
