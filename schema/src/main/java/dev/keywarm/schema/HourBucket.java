package dev.keywarm.schema;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One UTC hour, the unit in which keywarm counts. Written into key names as {@code yyyyMMddHH}
 * (e.g. {@code 2026112310} for 10:00–10:59 UTC on 23 Nov 2026) so that keys sort by time and a
 * reader can name any hour without listing keys.
 */
public record HourBucket(long epochHour) implements Comparable<HourBucket> {

  private static final long MILLIS_PER_HOUR = 3_600_000L;
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHH");

  public static HourBucket ofEpochMillis(long epochMillis) {
    return new HourBucket(Math.floorDiv(epochMillis, MILLIS_PER_HOUR));
  }

  public static HourBucket of(Instant instant) {
    return ofEpochMillis(instant.toEpochMilli());
  }

  /** Parses the {@code yyyyMMddHH} form used in key names. */
  public static HourBucket parse(String text) {
    try {
      LocalDateTime start = LocalDateTime.parse(text, FORMAT);
      return ofEpochMillis(start.toInstant(ZoneOffset.UTC).toEpochMilli());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an hour bucket (yyyyMMddHH): " + text, e);
    }
  }

  public long startMillis() {
    return epochHour * MILLIS_PER_HOUR;
  }

  public long endMillis() {
    return startMillis() + MILLIS_PER_HOUR;
  }

  /** Hour of day, 0–23, in UTC. */
  public int hourOfDay() {
    return (int) Math.floorMod(epochHour, 24L);
  }

  public HourBucket plusHours(long hours) {
    return new HourBucket(epochHour + hours);
  }

  /**
   * The {@code yyyyMMddHH} form. The last hour formatted is remembered: the agent names the same
   * hour's keys many times per flush, and a {@link DateTimeFormatter} call costs ~0.5 KB of heap.
   */
  public String format() {
    Formatted last = lastFormatted;
    if (last == null || last.epochHour() != epochHour) {
      last =
          new Formatted(
              epochHour,
              FORMAT.format(LocalDateTime.ofEpochSecond(startMillis() / 1000, 0, ZoneOffset.UTC)));
      lastFormatted = last;
    }
    return last.text();
  }

  /** An hour and its text, published together. */
  private record Formatted(long epochHour, String text) {}

  private static volatile Formatted lastFormatted;

  @Override
  public int compareTo(HourBucket other) {
    return Long.compare(epochHour, other.epochHour);
  }

  @Override
  public String toString() {
    return format();
  }
}
