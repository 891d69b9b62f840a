package dev.keywarm.runner.standing;

import java.util.Locale;

/** The standing warm's techniques, each switched on by its name in the {@code standing} option. */
public enum StandingTechnique {
  /** Before each UTC hour, the coming hour's plan keys that are not in the cache. */
  NEXT_HOUR,
  /** The current plan's top keys, reloaded and written compare-and-set just before they expire. */
  REFRESH_AHEAD,
  /** Keys missed repeatedly in the current hour and not in the cache, once per fleet. */
  LAZY,
  /** The current plan's top keys, every so often, with {@code NX}. */
  SCHEDULED;

  private final String option = name().toLowerCase(Locale.ROOT).replace('_', '-');

  /** The name in the {@code standing} option, the log, JMX and the meters: {@code next-hour}. */
  public String option() {
    return option;
  }

  /**
   * @throws IllegalArgumentException for a name that is no technique
   */
  public static StandingTechnique of(String name) {
    for (StandingTechnique t : values()) {
      if (t.option.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "standing: unknown technique '"
            + name
            + "' (next-hour, refresh-ahead, lazy, scheduled, all or off, joined with +)");
  }
}
