package dev.keywarm.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WindowAggregatorTest {

  @Test
  void anInternalErrorCountsTheWindowAsLostAndRecordingResumes() throws Exception {
    Recorder recorder = new Recorder(1, 1024, TimeUnit.SECONDS.toNanos(30));
    LinkedBlockingQueue<WindowSnapshot> out = new LinkedBlockingQueue<>();
    AtomicBoolean failOnce = new AtomicBoolean(true);
    WindowAggregator aggregator =
        new WindowAggregator(
            recorder,
            1000,
            1 << 20,
            TimeUnit.MILLISECONDS.toNanos(50),
            0,
            200,
            0,
            KeyPrivacy.PLAIN,
            snapshot -> {
              if (failOnce.getAndSet(false)) {
                throw new OutOfMemoryError("simulated: the application exhausted the heap");
              }
              out.add(snapshot);
            },
            System::currentTimeMillis);
    recorder.activate();
    aggregator.start();
    try {
      byte[] key = "k".getBytes(StandardCharsets.UTF_8);
      ThreadRecorder thread = recorder.threadRecorder();
      for (int i = 0; i < 100; i++) {
        thread.hit(key, thread.tag());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (aggregator.restarts() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, aggregator.restarts());
      assertEquals(100, recorder.lostEvents(), "the discarded window is counted as lost");
      assertEquals(100, recorder.lostReads());
      Thread.sleep(1200); // the back-off
      for (int i = 0; i < 7; i++) {
        thread.hit(key, thread.tag());
      }
      long hits = 0;
      long lost = 0;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (hits < 7 && System.nanoTime() < deadline) {
        WindowSnapshot next = out.poll(100, TimeUnit.MILLISECONDS);
        if (next != null) {
          hits += next.hits().length == 0 ? 0 : next.hits()[0];
          lost += next.totals().lostEvents();
        }
      }
      assertEquals(7, hits, "recording resumed after the back-off");
      assertEquals(100, lost, "the loss reaches the meta of a later window");
    } finally {
      aggregator.stop(1000);
    }
  }

  @Test
  void writesAndInvalidationsReachTheLogStampedAfterTheyWereDrainedAndAreNotCounts()
      throws Exception {
    Recorder recorder = new Recorder(1, 1024, TimeUnit.SECONDS.toNanos(30));
    recorder.recordInvalidations(true);
    LinkedBlockingQueue<WindowSnapshot> out = new LinkedBlockingQueue<>();
    WindowAggregator aggregator =
        new WindowAggregator(
            recorder,
            1000,
            1 << 20,
            TimeUnit.MILLISECONDS.toNanos(50),
            0,
            200,
            0,
            KeyPrivacy.PLAIN,
            out::add,
            System::currentTimeMillis);
    InvalidationLog log = new InvalidationLog(100, 1 << 20);
    aggregator.invalidationsTo(log);
    recorder.activate();
    long before = System.currentTimeMillis();
    ThreadRecorder thread = recorder.threadRecorder();
    thread.write("w".getBytes(StandardCharsets.UTF_8), EventKind.TTL_NONE);
    thread.invalidate("d".getBytes(StandardCharsets.UTF_8), true);
    thread.hit("r".getBytes(StandardCharsets.UTF_8), thread.tag());
    aggregator.step();
    InvalidationLog.Batch batch = log.take();
    assertEquals(2, batch.keys().size());
    for (int i = 0; i < 2; i++) {
      String key = new String(batch.keys().get(i), StandardCharsets.UTF_8);
      assertEquals(true, key.equals("w") || key.equals("d"), key);
      assertEquals(true, batch.millis()[i] >= before, "never earlier than the call");
    }
    assertEquals(3, aggregator.recordedEvents());
    aggregator.stop(1000);
    long keys = 0;
    for (WindowSnapshot window; (window = out.poll()) != null; ) {
      keys += window.size();
    }
    assertEquals(2, keys, "the write and the read are counted; the invalidation is not a count");
  }
}
