package dev.keywarm.bench;

import dev.keywarm.schema.KeyPattern;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the meters and the per-pattern TTL histogram cost in the background: every distinct key of a
 * flush window is patterned once ({@link KeyPattern#of}). Prints the time for {@code --keys} (100
 * 000, the default {@code maxkeys}: a full window) distinct keys, 8 rounds, the first ones
 * including JIT warm-up. At one window per 10 s, the share of one core is that time / 10 s.
 *
 * <pre>
 * java -cp jmh-benchmarks/target/keywarm-benchmarks.jar dev.keywarm.bench.KeyPatternCostMain
 * </pre>
 */
public final class KeyPatternCostMain {

  private KeyPatternCostMain() {}

  public static void main(String[] args) {
    int n = args.length >= 2 && args[0].equals("--keys") ? Integer.parseInt(args[1]) : 100_000;
    byte[][] keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = ("product:" + i + ":price").getBytes(StandardCharsets.UTF_8);
    }
    long sink = 0;
    for (int round = 1; round <= 8; round++) {
      long start = System.nanoTime();
      for (byte[] key : keys) {
        sink += KeyPattern.of(key).length();
      }
      double millis = (System.nanoTime() - start) / 1e6;
      System.out.printf(
          Locale.ROOT,
          "round %d: %.1f ms for %d distinct keys = %.2f %% of a core per 10 s window%n",
          round,
          millis,
          n,
          millis / 100);
    }
    if (sink == 42) {
      System.out.println(); // keeps the loop's work observable
    }
  }
}
