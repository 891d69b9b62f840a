package dev.keywarm.demo;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Request latency, one exact histogram per second: HdrHistogram at 3 significant digits, in
 * microseconds. The shop records from any thread and prints each second's histogram compressed in
 * its tick line; the demo decodes them, so that a percentile over several seconds comes from their
 * merged histogram — never from an average of per-second percentiles.
 */
final class LatencyLog {

  private final Recorder recorder = new Recorder(3);
  private Histogram interval;

  /**
   * A request that arrived (was due) at {@code dueNanos} and ended now, or after {@code capNanos}
   * if that is sooner (a timeout: its caller stopped waiting then).
   */
  void record(long dueNanos, long capNanos) {
    long nanos = Math.min(capNanos, System.nanoTime() - dueNanos);
    recorder.recordValue(Math.max(0, nanos / 1_000));
  }

  /** The latencies recorded since the last call, encoded for a tick line. */
  String takeEncoded() {
    interval = recorder.getIntervalHistogram(interval);
    ByteBuffer buffer = ByteBuffer.allocate(interval.getNeededByteBufferCapacity());
    int length = interval.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  static Histogram decode(String encoded) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not an encoded histogram: " + encoded, e);
    }
  }

  static Histogram empty() {
    return new Histogram(3);
  }
}
