package dev.keywarm.agent.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CyclicBarrier;

/**
 * Two threads share one Lettuce connection, so every reply is decoded on the same I/O thread, and
 * in step with each other read q:a then q:b (thread 1) and q:x then q:y (thread 2), twenty times,
 * 120 ms apart: (a, b) and (x, y) are pairs, nothing across the threads is. Args: redis-uri.
 */
public final class LettucePairsScenario {

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create(args[0]);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisAsyncCommands<String, String> async = connection.async();
      CyclicBarrier together = new CyclicBarrier(2);
      Thread first = reader(async, together, "q:a", "q:b");
      Thread second = reader(async, together, "q:x", "q:y");
      first.join();
      second.join();
    } finally {
      client.shutdown();
    }
  }

  private static Thread reader(
      RedisAsyncCommands<String, String> async, CyclicBarrier together, String one, String two) {
    Thread thread =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 20; i++) {
                  together.await();
                  async.get(one).get();
                  async.get(two).get();
                  Thread.sleep(120);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    thread.start();
    return thread;
  }
}
