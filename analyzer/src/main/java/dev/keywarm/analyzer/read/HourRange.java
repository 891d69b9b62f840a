package dev.keywarm.analyzer.read;

import dev.keywarm.schema.HourBucket;
import java.util.ArrayList;
import java.util.List;

/** The hours {@code [from, to)}: complete UTC hours, oldest first. */
public record HourRange(HourBucket from, HourBucket to) {

  public HourRange {
    if (to.compareTo(from) <= 0) {
      throw new IllegalArgumentException("empty hour range " + from + " .. " + to);
    }
  }

  /**
   * The {@code days × 24} complete hours that end where {@code end} starts. The analyser reads complete
   * hours only: the current hour is still being written by agents, and paging a set that changes
   * under the reader could skip or repeat members.
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
