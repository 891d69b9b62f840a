package dev.keywarm.redis;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of every keywarm option and flag: a whole number and a unit, {@code ms},
 * {@code s}, {@code m}, {@code h} or {@code d} ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h},
 * {@code 8d}), or {@code 0}. Any other bare number is refused rather than guessed at, and so is
 * anything beyond {@link #MAX} (366 days), which no setting of keywarm means and which would
 * overflow expiry times.
 */
public final class Durations {

  public static final Duration MAX = Duration.ofDays(366);
  public static final String FORM = "a duration such as 500ms, 10s, 5m, 2h or 8d";
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException whose message is the expected form (the caller names the
   *     option and the value)
   */
  public static Duration parse(String text) {
    if (text != null && text.trim().equals("0")) {
      return Duration.ZERO; // the one number that needs no unit
    }
    Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(FORM);
    }
    long amount = Long.parseLong(m.group(1));
    Duration duration =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
    if (duration.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("a duration of at most 366d");
    }
    return duration;
  }

  /** Like {@link #parse} and greater than zero. */
  public static Duration parsePositive(String text) {
    Duration duration = parse(text);
    if (duration.isZero()) {
      throw new IllegalArgumentException("a duration greater than zero");
    }
    return duration;
  }

  /** The shortest exact form in the grammar: {@code 90s} → "90s", {@code 2h} → "2h". */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 86_400_000 == 0 && millis > 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis % 3_600_000 == 0 && millis > 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
