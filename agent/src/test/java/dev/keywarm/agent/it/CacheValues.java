package dev.keywarm.agent.it;

import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** Waits for a key in a cache Redis to hold a value that a child JVM's agent is to write. */
final class CacheValues {

  private CacheValues() {}

  /**
   * Fails with the child's log if {@code key} does not hold {@code value} within {@code seconds}.
   */
  static void await(RedisServer cache, Process child, String key, String value, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!value.equals(cache.command("GET", key))) {
      if (System.nanoTime() > deadline || !child.isAlive()) {
        throw new AssertionError(
            key
                + " is "
                + cache.command("GET", key)
                + ", not "
                + value
                + "\n"
                + Files.readString(ChildJvm.stderrFile(child)));
      }
      Thread.sleep(20);
    }
  }
}
