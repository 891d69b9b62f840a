package dev.keywarm.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventRingTest {

  @Test
  void drainsInOrderAndRefusesWhenFull() {
    EventRing ring = new EventRing(4);
    byte[][] keys = {{1}, {2}, {3}, {4}, {5}};
    for (int i = 0; i < 4; i++) {
      assertTrue(ring.offer(keys[i], null, EventKind.HIT, i) >= 0);
    }
    assertEquals(-1, ring.offer(keys[4], null, EventKind.HIT, 4));
    List<Long> values = new ArrayList<>();
    assertEquals(4, ring.drain((k, kind, v) -> values.add(v), 100));
    assertEquals(List.of(0L, 1L, 2L, 3L), values);
    assertTrue(ring.offer(keys[4], null, EventKind.MISS, 9) >= 0, "space is reused after a drain");
  }

  /** Producers on several threads and a concurrent consumer: every accepted event arrives once. */
  @Test
  void concurrentProducersLoseNothingThatWasAccepted() throws Exception {
    EventRing ring = new EventRing(1024);
    int producers = 4;
    int perProducer = 200_000;
    AtomicLong accepted = new AtomicLong();
    AtomicLong acceptedSum = new AtomicLong();
    CountDownLatch done = new CountDownLatch(producers);
    byte[] key = {42};
    for (int p = 0; p < producers; p++) {
      int id = p;
      new Thread(
              () -> {
                for (int i = 0; i < perProducer; i++) {
                  long value = (long) id * perProducer + i;
                  if (ring.offer(key, null, EventKind.HIT, value) >= 0) {
                    accepted.incrementAndGet();
                    acceptedSum.addAndGet(value);
                  }
                }
                done.countDown();
              })
          .start();
    }
    long[] drained = new long[2];
    EventSink sink =
        (k, kind, v) -> {
          drained[0]++;
          drained[1] += v;
        };
    while (done.getCount() > 0) {
      ring.drain(sink, 512);
    }
    ring.drain(sink, Integer.MAX_VALUE);
    assertEquals(accepted.get(), drained[0]);
    assertEquals(acceptedSum.get(), drained[1]);
    assertTrue(accepted.get() > 0);
  }
}
