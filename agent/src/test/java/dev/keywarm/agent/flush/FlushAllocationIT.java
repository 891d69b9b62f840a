package dev.keywarm.agent.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.agent.recording.WindowTotals;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServerExtension;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one flush of a one-key window allocates on the flusher thread, counted in bytes ({@code
 * ThreadMXBean.getThreadAllocatedBytes}), not timed: after a few flushes (class loading, the
 * connection, the trim scripts' SHA-1s) a flush's allocation is the same every time, whatever the
 * machine's load. The bound (64 KB, issue 18) is ~30 times what it measured (1.9 KB, interpreted):
 * what would break it is a flush that builds per-command or per-reply objects again, or re-encodes
 * the trim scripts.
 */
class FlushAllocationIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final long BOUND = 64 * 1024;

  private static WindowSnapshot oneKey(HourBucket hour) {
    return new WindowSnapshot(
        hour,
        new byte[][] {"product:42".getBytes(StandardCharsets.UTF_8)},
        new long[] {3},
        new long[] {1},
        new long[] {0},
        new long[] {0},
        new long[] {0},
        new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0),
        new byte[0][],
        new long[0]);
  }

  @Test
  void aFlushOfAOneKeyWindowAllocatesAtMost64KbOnTheFlusherThread() throws Exception {
    StatsFlusher flusher =
        new StatsFlusher(
            KeySchema.forApp("alloc"),
            Duration.ofHours(1),
            RedisEndpoint.parse(REDIS.server().uri()),
            Duration.ofSeconds(5),
            1000,
            1 << 20,
            Duration.ofHours(1), // the flusher wakes for a submitted window only
            1000,
            1000);
    flusher.start();
    HourBucket hour = HourBucket.ofEpochMillis(System.currentTimeMillis());
    for (int warm = 0; warm < 5; warm++) {
      flushOne(flusher, hour);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = flusherThread().getId();
    long most = 0;
    for (int flush = 0; flush < 10; flush++) {
      long before = threads.getThreadAllocatedBytes(id);
      flushOne(flusher, hour);
      most = Math.max(most, threads.getThreadAllocatedBytes(id) - before);
    }
    assertEquals(0, flusher.flushErrors());
    assertTrue(most <= BOUND, "a one-key flush allocated " + most + " B on the flusher thread");
    flusher.flushOnExit(Duration.ofSeconds(1));
  }

  /** Submits one window and waits until the flusher has written it (and gone back to waiting). */
  private static void flushOne(StatsFlusher flusher, HourBucket hour) throws Exception {
    long done = flusher.flushes() + 1;
    flusher.submit(oneKey(hour));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (flusher.flushes() < done || flusherThread().getState() != Thread.State.TIMED_WAITING) {
      assertTrue(System.nanoTime() < deadline, "the flusher did not write the window");
      Thread.sleep(5);
    }
  }

  private static Thread flusherThread() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("keywarm-flusher")) {
        return thread;
      }
    }
    throw new AssertionError("no keywarm-flusher thread");
  }
}
