package dev.keywarm.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.JedisPooled;

/**
 * An application that deletes cache keys, with a loader on its class path ({@link
 * ItemLoaderProvider}) and no knowledge of keywarm. Once {@code <stopFile>.go} appears: {@code DEL
 * item:1 item:2}, {@code UNLINK item:3}, {@code GETDEL item:5}, {@code DEL item:99}, and {@code DEL
 * item:4} followed at once by its own refill {@code SET item:4 app-refill}; then it waits for the
 * stop file (at most 90 s). Args: host port stopFile.
 */
public final class DeletingApp {

  public static void main(String[] args) throws Exception {
    Path stop = Path.of(args[2]);
    Path go = Path.of(args[2] + ".go");
    long deadline = System.nanoTime() + 90_000_000_000L;
    try (JedisPooled cache = new JedisPooled(args[0], Integer.parseInt(args[1]))) {
      cache.get("item:1"); // the agent learns the cache and this application's class loader
      while (!Files.exists(go) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      cache.del("item:1", "item:2");
      cache.unlink("item:3");
      cache.getDel("item:5");
      cache.del("item:99");
      cache.del("item:4");
      cache.set("item:4", "app-refill");
      System.out.println("deleted");
      while (!Files.exists(stop) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
  }
}
