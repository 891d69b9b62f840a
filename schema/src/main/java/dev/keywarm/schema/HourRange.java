package dev.keywarm.analyzer.read;

import dev.keywarm.schema.HourBucket;
import java.util.ArrayList;
import java.util.List;

/** The UTC hours {@code [from, to)}, oldest first. */
public record HourRange(HourBucket from, HourBucket to) {

  public HourRange {
    if (to.compareTo(from) <= 0) {
      throw new IllegalArgumentException("empty hour range " + from + " .. " + to);
    }
  }

  /**
   * The {@code days × 24} hours that end where {@code end} starts. By default the analyser ends the
   * range at the start of the current hour, so that it reads complete hours only; an hour that agents
   * are still writing gives partial counts (see {@link HourlyStatsReader}).
   */
  public static HourRange lastDays(int days, HourBucket end) {
    return new HourRange(end.plusHours(-24L * days), end);
  }

  public int hours() {
    return (int) (to.epochHour() - from.epochHour());
  }

  public List<HourBucket> list() {
    List<HourBucket> hours = new ArrayList<>(hours());
    for (long h = from.epochHour(); h < to.epochHour(); h++) {
      hours.add(new HourBucket(h));
    }
    return hours;
  }

  @Override
  public String toString() {
    return from + ".." + to;
  }
}
