package dev.keywarm.analyzer;

import dev.keywarm.analyzer.analysis.Analysis;
import dev.keywarm.analyzer.analysis.AnalysisOptions;
import dev.keywarm.analyzer.analysis.Analyzer;
import dev.keywarm.analyzer.read.HourlyStatsReader;
import dev.keywarm.analyzer.read.HourlyTtlReader;
import dev.keywarm.analyzer.read.KeyTtls;
import dev.keywarm.analyzer.read.RangeData;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.testsupport.RedisServer;
import java.time.Instant;
import java.util.Random;
import redis.clients.jedis.Jedis;

/**
 * Shared test plumbing: a fixed start hour, Zipf sampling, and read-then-analyse — from a real
 * Redis ({@code *IT}) or from a {@link RangeDataBuilder} (unit tests).
 */
public final class Fixtures {

  /** 2026-11-02 00:00 UTC, a Monday. */
  public static final HourBucket START = HourBucket.parse("2026110200");

  /** The time every analysis here runs at. */
  public static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private Fixtures() {}

  public static RangeData read(RedisServer redis, String app, HourRange range, double halfLife) {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      return new HourlyStatsReader(jedis, KeySchema.forApp(app)).read(range, halfLife);
    }
  }

  /** Reads and analyses as the command does, the planned keys' own TTLs included. */
  public static Analysis analyze(
      RedisServer redis, String app, HourRange range, AnalysisOptions o) {
    KeySchema schema = KeySchema.forApp(app);
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      RangeData data = new HourlyStatsReader(jedis, schema).read(range, 0);
      return analyze(data, o, new HourlyTtlReader(jedis, schema));
    }
  }

  /** What {@link #analyze(RedisServer, String, HourRange, AnalysisOptions)} gives, in memory. */
  public static Analysis analyze(RangeDataBuilder data, HourRange range, AnalysisOptions o) {
    return analyze(data.build(range, 0), o, data.keyTtls());
  }

  /** Without the planned keys' own TTLs: a plan key gets its pattern's only. */
  public static Analysis analyze(RangeData data, AnalysisOptions o) {
    return analyze(data, o, null);
  }

  public static Analysis analyze(RangeData data, AnalysisOptions o, KeyTtls keyTtls) {
    return new Analyzer(o, null, keyTtls).analyze(data, NOW);
  }

  /** Cumulative distribution of a Zipf law over ranks 1..n: P(r) ∝ r^−alpha. */
  public static double[] zipfCdf(int n, double alpha) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int r = 1; r <= n; r++) {
      sum += Math.pow(r, -alpha);
      cdf[r - 1] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  /** A rank index 0..n-1 drawn from {@code cdf} by inverse transform. */
  public static int sample(double[] cdf, Random random) {
    double u = random.nextDouble();
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
