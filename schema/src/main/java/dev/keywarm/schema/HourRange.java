package dev.keywarm.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The UTC hours {@code [from, to)}, oldest first, and the one rule for which hours a reader of the
 * hourly sets includes (the analyzer's {@code HourlyStatsReader}, the warm-runner's fallback
 * ranking):
 *
 * <ul>
 *   <li><b>Complete hours by default</b>: {@link #recent} ends the range where the current UTC hour
 *       starts. No agent writes a complete hour any more, so its sets can be paged by rank.
 *   <li><b>The current hour only when asked</b> ({@code includeCurrentHour}): the range ends after
 *       it. An hour {@link #isBeingWritten} (the current one, or a later one) gets {@code ZINCRBY}s
 *       while it is read, so paging by rank could skip or repeat a member that moves across a page
 *       boundary. Its sets are read with {@code ZSCAN}, which returns every member present for the
 *       whole scan at least once, and a member returned twice is counted once. The tolerance: each
 *       count is the member's count at some moment during its set's scan (the sets are scanned one
 *       after the other, not as one snapshot), and a member first written after the scan passed its
 *       slot is not read; nothing is counted twice.
 * </ul>
 */
public record HourRange(HourBucket from, HourBucket to) {

  public HourRange {
    if (to.compareTo(from) <= 0) {
      throw new IllegalArgumentException("empty hour range " + from + " .. " + to);
    }
  }

  /** The {@code days × 24} hours that end where {@code end} starts. */
  public static HourRange lastDays(int days, HourBucket end) {
    return new HourRange(end.plusHours(-24L * days), end);
  }

  /**
   * The last {@code days × 24} hours as every reader takes them: complete hours, ending where
   * {@code current} starts; or, with {@code includeCurrentHour}, ending after {@code current}.
   */
  public static HourRange recent(int days, HourBucket current, boolean includeCurrentHour) {
    return lastDays(days, includeCurrentHour ? current.plusHours(1) : current);
  }

  /**
   * True if agents may still write {@code hour}: its sets must be scanned, and its counts are
   * partial.
   */
  public static boolean isBeingWritten(HourBucket hour, HourBucket current) {
    return hour.compareTo(current) >= 0;
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
