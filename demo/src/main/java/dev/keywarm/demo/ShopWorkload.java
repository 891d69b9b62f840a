package dev.keywarm.demo;

import java.util.Random;

/**
 * Which product a request asks for: Zipf(1.0) popularity over {@link #PRODUCTS} products, where the
 * head ({@link #CORE} products) is popular all day and the rest of the ranking shifts with the hour
 * of day, so the hot set drifts. Time is compressed: one "hour" lasts {@code hourMillis} of
 * wall-clock time, counted from the epoch so that every JVM of one demo agrees on the hour.
 */
final class ShopWorkload {

  static final int PRODUCTS = 10_000;
  static final int CORE = 200;

  /**
   * How far the non-core ranking moves per hour; prime, so the 24 hours reach different products.
   */
  static final int DRIFT_PER_HOUR = 401;

  private final ZipfSampler popularity = new ZipfSampler(PRODUCTS, 1.0);
  private final long hourMillis;

  ShopWorkload(long hourMillis) {
    this.hourMillis = hourMillis;
  }

  int hourOfDay(long epochMillis) {
    return (int) ((epochMillis / hourMillis) % 24);
  }

  /** A product id in 1..PRODUCTS for a request made at {@code epochMillis}. */
  int product(Random random, long epochMillis) {
    int rank = popularity.sample(random);
    if (rank <= CORE) {
      return rank;
    }
    int shifted = (rank - CORE - 1 + hourOfDay(epochMillis) * DRIFT_PER_HOUR) % (PRODUCTS - CORE);
    return CORE + 1 + shifted;
  }

  /** Draws ranks 1..n with probability proportional to 1/rank^s (inverse CDF, binary search). */
  static final class ZipfSampler {
    private final double[] cumulative;

    ZipfSampler(int n, double s) {
      cumulative = new double[n];
      double sum = 0;
      for (int rank = 1; rank <= n; rank++) {
        sum += 1.0 / Math.pow(rank, s);
        cumulative[rank - 1] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
    }

    int sample(Random random) {
      double u = random.nextDouble();
      int low = 0;
      int high = cumulative.length - 1;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (cumulative[mid] < u) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low + 1;
    }
  }
}
