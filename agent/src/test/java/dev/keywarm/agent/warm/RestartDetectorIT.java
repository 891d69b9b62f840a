package dev.keywarm.agent.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.testsupport.RedisServerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against a real redis-server that is really restarted and flushed. */
class RestartDetectorIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private final List<RestartDetector.Reason> events = new ArrayList<>();
  private RestartDetector detector;

  @BeforeEach
  void detector() {
    Assumptions.assumeTrue(REDIS.server().canRestart(), "needs a redis-server it can restart");
    RedisEndpoint endpoint = RedisEndpoint.parse(REDIS.server().uri());
    detector = new RestartDetector(() -> endpoint, 1000, 1000, events::add);
  }

  @Test
  void aRestartIsSeenOnceEvenAcrossAnOutage() {
    detector.check();
    detector.check();
    assertEquals(List.of(), events, "a steady server is not cold");
    REDIS.server().kill();
    detector.check(); // unreachable: not a restart, nothing to compare yet
    assertEquals(List.of(), events);
    REDIS.server().restart();
    detector.check();
    detector.check();
    assertEquals(List.of(RestartDetector.Reason.RESTARTED), events);
  }

  @Test
  void aFlushedKeyspaceIsSeen() {
    fill();
    detector.check();
    REDIS.server().command("FLUSHALL");
    detector.check();
    detector.check();
    assertEquals(List.of(RestartDetector.Reason.FLUSHED), events);
  }

  /** The application refills a flushed cache at once: the key count is never seen at 0. */
  @Test
  void aFlushRefilledBeforeTheNextCheckIsSeen() {
    fill();
    detector.check();
    REDIS.server().command("FLUSHDB");
    fill();
    detector.check();
    detector.check();
    assertEquals(List.of(RestartDetector.Reason.FLUSHED), events);
  }

  /** The held connection, not the poll, finds the restart: the poll interval here is a minute. */
  @Test
  void aRestartIsFoundAtOnceThroughTheHeldConnection() throws Exception {
    RedisEndpoint endpoint = RedisEndpoint.parse(REDIS.server().uri());
    java.util.concurrent.BlockingQueue<Long> seen =
        new java.util.concurrent.LinkedBlockingQueue<>();
    RestartDetector watching =
        new RestartDetector(() -> endpoint, 60_000, 1000, reason -> seen.add(System.nanoTime()));
    watching.start();
    try {
      Thread.sleep(500); // the first check and the subscription
      REDIS.server().kill();
      Thread.sleep(200);
      REDIS.server().restart();
      long accepting = System.nanoTime();
      Long at = seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(true, at != null, "the restart was not seen within 10 s (the poll is 60 s)");
      System.out.printf(
          "[restart-detector] restart seen %.1f ms after the server accepted again%n",
          (at - accepting) / 1e6);
    } finally {
      watching.stop();
    }
  }

  /** A failed application command is a cue: a flush is found without waiting for the poll. */
  @Test
  void aCueChecksAtOnce() throws Exception {
    RedisEndpoint endpoint = RedisEndpoint.parse(REDIS.server().uri());
    java.util.concurrent.BlockingQueue<RestartDetector.Reason> seen =
        new java.util.concurrent.LinkedBlockingQueue<>();
    RestartDetector watching = new RestartDetector(() -> endpoint, 60_000, 1000, seen::add);
    fill();
    watching.start();
    try {
      Thread.sleep(500);
      REDIS.server().command("FLUSHALL");
      watching.cue();
      assertEquals(
          RestartDetector.Reason.FLUSHED, seen.poll(10, java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      watching.stop();
    }
  }

  private static void fill() {
    for (int i = 0; i < 20; i++) {
      REDIS.server().command("SET", "k" + i, "v");
    }
  }
}
