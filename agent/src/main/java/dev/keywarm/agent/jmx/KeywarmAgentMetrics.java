package dev.keywarm.agent.jmx;

import dev.keywarm.agent.flush.StatsFlusher;
import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.recording.Recorder;
import dev.keywarm.agent.recording.WindowAggregator;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * Publishes the agent's counters as an MXBean. Registered from the flusher thread after start, not
 * from {@code premain}: touching the platform MBean server that early can initialise JMX and
 * java.util.logging before the application has configured them (a known trap for application
 * servers that install their own LogManager).
 */
public final class KeywarmAgentMetrics implements KeywarmAgentMXBean {

  private final String app;
  private final Recorder recorder;
  private final WindowAggregator aggregator;
  private final StatsFlusher flusher;
  private volatile long summaryDropsSeen;
  private volatile boolean registered;

  /**
   * True once the bean is registered: JMX is up, started by the agent only after its start-up
   * delay, so reading other beans (the warm-runner's) cannot initialise it too early.
   */
  public boolean isRegistered() {
    return registered;
  }

  private volatile dev.keywarm.agent.snapshot.SnapshotKeeper snapshot;

  /** The snapshot keeper, when the snapshot is on. */
  public void snapshot(dev.keywarm.agent.snapshot.SnapshotKeeper keeper) {
    this.snapshot = keeper;
  }

  @Override
  public boolean isSnapshotKeeper() {
    var keeper = snapshot;
    return keeper != null && keeper.isLeader();
  }

  @Override
  public long getSnapshotKeysRead() {
    var keeper = snapshot;
    return keeper == null ? 0 : keeper.keysRead();
  }

  @Override
  public long getSnapshotBytesRead() {
    var keeper = snapshot;
    return keeper == null ? 0 : keeper.bytesRead();
  }

  @Override
  public long getSnapshotEntries() {
    var keeper = snapshot;
    return keeper == null ? 0 : keeper.heldEntries();
  }

  @Override
  public long getSnapshotBytes() {
    var keeper = snapshot;
    return keeper == null ? 0 : keeper.heldBytes();
  }

  @Override
  public long getInvalidationsPublished() {
    var keeper = snapshot;
    return keeper == null ? 0 : keeper.published();
  }

  public KeywarmAgentMetrics(
      String app, Recorder recorder, WindowAggregator aggregator, StatsFlusher flusher) {
    this.app = app;
    this.recorder = recorder;
    this.aggregator = aggregator;
    this.flusher = flusher;
  }

  /** Registers the bean; a failure (a locked-down MBean server) costs the bean, not the agent. */
  public void register() {
    try {
      ObjectName name = new ObjectName("dev.keywarm:type=Agent,app=" + ObjectName.quote(app));
      var server = ManagementFactory.getPlatformMBeanServer();
      if (!server.isRegistered(name)) {
        server.registerMBean(this, name);
      }
      registered = true;
    } catch (Exception | LinkageError e) {
      AgentLog.warn("JMX bean not registered: " + e);
    }
  }

  /** Evicted events are reported by the aggregator as snapshots are sealed. */
  public void summaryDropped(long events) {
    summaryDropsSeen += events;
  }

  @Override
  public long getRecordedEvents() {
    return aggregator.recordedEvents();
  }

  @Override
  public long getFlushedEntries() {
    return flusher.flushedEntries();
  }

  /** Events of keys evicted from the bounded window summaries (counted per hour, not per key). */
  public long summaryDroppedEvents() {
    return summaryDropsSeen;
  }

  /** Deletes of keys the window summaries did not track (counted, not per key pattern). */
  public long untrackedRemovals() {
    return aggregator.untrackedRemovals();
  }

  @Override
  public long getDroppedEvents() {
    return recorder.lostEvents() + summaryDropsSeen + flusher.droppedEvents();
  }

  @Override
  public long getLostEvents() {
    return recorder.lostEvents();
  }

  @Override
  public long getUnwrittenEvents() {
    return flusher.droppedEvents();
  }

  @Override
  public long getAggregatorRestarts() {
    return aggregator.restarts();
  }

  @Override
  public long getFlushErrors() {
    return flusher.flushErrors();
  }

  @Override
  public long getTrimmedMembers() {
    return flusher.trimmedMembers();
  }

  @Override
  public long getFlushLagMillis() {
    return flusher.flushLagMillis();
  }

  @Override
  public int getTrackedKeys() {
    return aggregator.trackedKeys();
  }

  @Override
  public long getPendingEntries() {
    return flusher.pendingEntries();
  }

  @Override
  public long getFailedCommands() {
    return recorder.failedCommands();
  }

  @Override
  public String getStatsTarget() {
    return flusher.targetDescription();
  }

  @Override
  public boolean isRecording() {
    return recorder.isActive();
  }

  @Override
  public void setRecording(boolean recording) {
    if (recording) {
      recorder.activate();
    } else {
      recorder.deactivate();
    }
    AgentLog.info("recording switched " + (recording ? "on" : "off") + " over JMX");
  }
}
