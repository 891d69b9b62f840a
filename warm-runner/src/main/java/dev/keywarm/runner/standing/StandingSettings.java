package dev.keywarm.runner.standing;

import dev.keywarm.redis.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every knob of the standing warm, with its option name (the agent's, and {@link #fromOptions}'s)
 * and its default in {@link #DEFAULTS}, the one place they are defined. The warm's own settings
 * (loaders, TTLs, call timeout, Redis URIs and timeouts, instance id, JMX) come from the runner's
 * {@code WarmSettings}.
 *
 * @param techniques {@code standing}: the techniques on; none (the default) is off
 * @param rate {@code standingrate}: loader calls per second, all techniques together (> 0)
 * @param leaseTtl {@code standinglease}: the standing lease's expiry, at least 3 s (and 3 × the
 *     Redis timeout, checked by the service); renewed every 1/4 to 1/3 of it
 * @param nextHourLead {@code nexthourlead}: how long before each UTC hour next-hour starts
 * @param nextHourKeys {@code nexthourkeys}: most keys of the coming hour's plan it looks at
 * @param refreshBelow {@code refreshbelow}: refresh-ahead reloads a key whose remaining TTL is
 *     below this share of its observed TTL (0–1, exclusive)
 * @param refreshKeys {@code refreshkeys}: the current plan's top keys refresh-ahead watches (its
 *     key budget)
 * @param refreshCheck {@code refreshcheck}: how often their remaining TTLs are read
 * @param lazyMisses {@code lazymisses}: misses since the last look at which lazy loads a key
 * @param lazyKeys {@code lazykeys}: most-missed keys of the hour lazy reads per look
 * @param lazyCheck {@code lazycheck}: how often it looks at the hour's misses
 * @param lazyClaim {@code lazyclaim}: how long a lazily loaded key is claimed for the fleet (longer
 *     than the call timeout, checked by the service)
 * @param scheduledEvery {@code scheduledevery}: how often scheduled re-warms the top keys
 * @param scheduledKeys {@code scheduledkeys}: how many top keys of the current plan it re-warms
 */
public record StandingSettings(
    Set<StandingTechnique> techniques,
    double rate,
    Duration leaseTtl,
    Duration nextHourLead,
    int nextHourKeys,
    double refreshBelow,
    int refreshKeys,
    Duration refreshCheck,
    int lazyMisses,
    int lazyKeys,
    Duration lazyCheck,
    Duration lazyClaim,
    Duration scheduledEvery,
    int scheduledKeys) {

  /** The shortest {@code standinglease}: renewed every 1/4 to 1/3 of it, each try within 1 s. */
  public static final Duration MIN_LEASE = Duration.ofSeconds(3);

  /** Off; every other knob at its default. */
  public static final StandingSettings DEFAULTS =
      new StandingSettings(
          Set.of(),
          50,
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          10_000,
          0.1,
          1_000,
          Duration.ofSeconds(10),
          3,
          1_000,
          Duration.ofSeconds(10), // the agent's flush interval: a look sees one more flush
          Duration.ofMinutes(1),
          Duration.ofMinutes(15),
          1_000);

  /**
   * @throws IllegalArgumentException naming the option, on one line
   */
  public StandingSettings {
    techniques = Collections.unmodifiableSet(EnumSet.copyOf(withType(techniques)));
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("standingrate must be a number above 0: " + rate);
    }
    positive("standinglease", leaseTtl);
    if (leaseTtl.compareTo(MIN_LEASE) < 0) {
      throw new IllegalArgumentException(
          "standinglease must be at least "
              + Durations.format(MIN_LEASE)
              + ": "
              + Durations.format(leaseTtl));
    }
    positive("nexthourlead", nextHourLead);
    if (nextHourLead.compareTo(Duration.ofHours(1)) >= 0) {
      throw new IllegalArgumentException(
          "nexthourlead must be less than 1h: " + Durations.format(nextHourLead));
    }
    if (!(refreshBelow > 0 && refreshBelow < 1)) {
      throw new IllegalArgumentException(
          "refreshbelow must be above 0 and below 1: " + refreshBelow);
    }
    atLeastOne("nexthourkeys", nextHourKeys);
    atLeastOne("refreshkeys", refreshKeys);
    atLeastOne("lazymisses", lazyMisses);
    atLeastOne("lazykeys", lazyKeys);
    atLeastOne("scheduledkeys", scheduledKeys);
    positive("refreshcheck", refreshCheck);
    positive("lazycheck", lazyCheck);
    positive("lazyclaim", lazyClaim);
    positive("scheduledevery", scheduledEvery);
  }

  /**
   * The settings the agent's options give: {@code name → text} as written ({@code
   * standing=next-hour +lazy}, {@code nexthourlead=5m}, ...); absent names take their default.
   *
   * @throws IllegalArgumentException for an unknown name or a bad value, naming it, on one line
   */
  public static StandingSettings fromOptions(Map<String, String> options) {
    Map<String, String> o = new HashMap<>(options);
    StandingSettings d = DEFAULTS;
    StandingSettings parsed =
        new StandingSettings(
            o.containsKey("standing") ? techniques(o.remove("standing")) : d.techniques(),
            number(o, "standingrate", d.rate()),
            duration(o, "standinglease", d.leaseTtl()),
            duration(o, "nexthourlead", d.nextHourLead()),
            count(o, "nexthourkeys", d.nextHourKeys()),
            number(o, "refreshbelow", d.refreshBelow()),
            count(o, "refreshkeys", d.refreshKeys()),
            duration(o, "refreshcheck", d.refreshCheck()),
            count(o, "lazymisses", d.lazyMisses()),
            count(o, "lazykeys", d.lazyKeys()),
            duration(o, "lazycheck", d.lazyCheck()),
            duration(o, "lazyclaim", d.lazyClaim()),
            duration(o, "scheduledevery", d.scheduledEvery()),
            count(o, "scheduledkeys", d.scheduledKeys()));
    if (!o.isEmpty()) {
      java.util.List<String> unknown = new java.util.ArrayList<>(o.keySet());
      java.util.Collections.sort(unknown);
      throw new IllegalArgumentException(
          (unknown.size() == 1
                  ? "unknown standing warm option '"
                  : "unknown standing warm options '")
              + String.join("', '", unknown)
              + "'");
    }
    return parsed;
  }

  /** {@code off}, {@code all}, or technique names joined with {@code +} (or spaces). */
  static Set<StandingTechnique> techniques(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty() || t.equalsIgnoreCase("off")) {
      return Set.of();
    }
    if (t.equalsIgnoreCase("all")) {
      return EnumSet.allOf(StandingTechnique.class);
    }
    Set<StandingTechnique> on = EnumSet.noneOf(StandingTechnique.class);
    for (String name : t.split("[+\\s]+")) {
      if (!name.isEmpty()) {
        on.add(StandingTechnique.of(name));
      }
    }
    return on;
  }

  public boolean isOn(StandingTechnique technique) {
    return techniques.contains(technique);
  }

  /** {@code next-hour+lazy}, or {@code off}. */
  public String describeTechniques() {
    return techniques.isEmpty()
        ? "off"
        : String.join("+", techniques.stream().map(StandingTechnique::option).toList());
  }

  private static Set<StandingTechnique> withType(Set<StandingTechnique> techniques) {
    if (techniques == null) {
      throw new IllegalArgumentException("standing: techniques must not be null");
    }
    return techniques.isEmpty() ? EnumSet.noneOf(StandingTechnique.class) : techniques;
  }

  private static void positive(String option, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          option
              + " must be a duration above 0: "
              + (value == null
                  ? "none"
                  : value.isNegative() ? value.toString() : Durations.format(value)));
    }
  }

  private static void atLeastOne(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be at least 1: " + value);
    }
  }

  private static Duration duration(Map<String, String> o, String option, Duration fallback) {
    String text = o.remove(option);
    if (text == null) {
      return fallback;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid " + option + "='" + text + "': " + e.getMessage(), e);
    }
  }

  private static int count(Map<String, String> o, String option, int fallback) {
    String text = o.remove(option);
    if (text == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid " + option + "='" + text + "': a whole number", e);
    }
  }

  private static double number(Map<String, String> o, String option, double fallback) {
    String text = o.remove(option);
    if (text == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid " + option + "='" + text + "': a number", e);
    }
  }
}
