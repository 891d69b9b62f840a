package dev.keywarm.demo;

import java.util.Random;

/**
 * Which product a request asks for: Zipf(1.0) popularity over {@link #PRODUCTS} products, where the
 * head ({@link #CORE} products) is popular all day and the rest of the ranking shifts with the hour
 * of day, so the hot set drifts. Time is compressed: one "hour" lasts {@code hourMillis} of
 * wall-clock time, counted from the epoch so that every JVM of one demo agrees on the hour.
 *
 * <p><b>The hour's deals</b> (the next-hour story, {@link NextHourStory}): with a deal share above
 * 0, that share of requests reads one of {@link #DEALS} deals of the current hour instead, {@code
 * deal:<hour of day>:<n>}, Zipf(1.0) too: content that is new when the hour turns, never read in
 * the hour before (a deals page, a programme guide, the hour's news). An hour offset shifts the
 * workload's clock, so a training run can read the coming hour's deals now.
 */
final class ShopWorkload {

  static final int PRODUCTS = 10_000;
  static final int CORE = 200;
  static final int DEALS = 5_000;

  /**
   * How far the non-core ranking moves per hour; prime, so the 24 hours reach different products.
   */
  static final int DRIFT_PER_HOUR = 401;

  private final ZipfSampler popularity = new ZipfSampler(PRODUCTS, 1.0);
  private final ZipfSampler dealPopularity = new ZipfSampler(DEALS, 1.0);
  private final long hourMillis;
  private final long offsetMillis;
  private final double dealShare;

  ShopWorkload(long hourMillis) {
    this(hourMillis, 0, 0);
  }

  /**
   * With {@code dealShare} of requests reading the hour's deals, the clock {@code offsetHours} on.
   */
  ShopWorkload(long hourMillis, int offsetHours, double dealShare) {
    this.hourMillis = hourMillis;
    this.offsetMillis = offsetHours * hourMillis;
    this.dealShare = dealShare;
  }

  int hourOfDay(long epochMillis) {
    return (int) (((epochMillis + offsetMillis) / hourMillis) % 24);
  }

  /**
   * The cache key of a deal of the hour for a request made at {@code epochMillis}, or null for a
   * product request. Draws nothing without deals, so the other stories' requests stay the same.
   */
  String deal(Random random, long epochMillis) {
    if (dealShare <= 0 || random.nextDouble() >= dealShare) {
      return null;
    }
    return dealKey(hourOfDay(epochMillis), dealPopularity.sample(random));
  }

  static String dealKey(int hourOfDay, int deal) {
    return String.format("deal:%02d:%d", hourOfDay, deal);
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
