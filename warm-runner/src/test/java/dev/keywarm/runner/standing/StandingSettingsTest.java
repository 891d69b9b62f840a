package dev.keywarm.runner.standing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The standing warm's options: defaults, parsing, one-line errors naming the option. */
class StandingSettingsTest {

  @Test
  void noOptionsIsOffWithTheDocumentedDefaults() {
    StandingSettings s = StandingSettings.fromOptions(Map.of());
    assertEquals(StandingSettings.DEFAULTS, s);
    assertEquals(Set.of(), s.techniques());
    assertEquals(50, s.rate());
    assertEquals(Duration.ofSeconds(30), s.leaseTtl());
    assertEquals(Duration.ofMinutes(5), s.nextHourLead());
    assertEquals(10_000, s.nextHourKeys());
    assertEquals(0.1, s.refreshBelow());
    assertEquals(1_000, s.refreshKeys());
    assertEquals(Duration.ofSeconds(10), s.refreshCheck());
    assertEquals(3, s.lazyMisses());
    assertEquals(1_000, s.lazyKeys());
    assertEquals(Duration.ofSeconds(10), s.lazyCheck());
    assertEquals(Duration.ofMinutes(1), s.lazyClaim());
    assertEquals(Duration.ofMinutes(15), s.scheduledEvery());
    assertEquals(1_000, s.scheduledKeys());
    assertEquals("off", s.describeTechniques());
  }

  @Test
  void techniquesAreJoinedWithPlus() {
    assertEquals(
        EnumSet.of(StandingTechnique.NEXT_HOUR, StandingTechnique.LAZY),
        StandingSettings.fromOptions(Map.of("standing", "lazy+next-hour")).techniques());
    assertEquals(
        EnumSet.allOf(StandingTechnique.class),
        StandingSettings.fromOptions(Map.of("standing", "all")).techniques());
    assertEquals(
        "next-hour+refresh-ahead",
        StandingSettings.fromOptions(Map.of("standing", "refresh-ahead+next-hour"))
            .describeTechniques());
    assertEquals(
        Duration.ofMillis(500),
        StandingSettings.fromOptions(Map.of("nexthourlead", "500ms")).nextHourLead());
  }

  @Test
  void badValuesAreRefusedInOneLineNamingTheOption() {
    assertError("nexthourlead must be less than 1h: 2h", Map.of("nexthourlead", "2h"));
    assertError("invalid refreshcheck='10'", Map.of("refreshcheck", "10"));
    assertError("refreshbelow must be above 0 and below 1: 1.5", Map.of("refreshbelow", "1.5"));
    assertError("standingrate must be a number above 0: 0.0", Map.of("standingrate", "0"));
    assertError("lazymisses must be at least 1: 0", Map.of("lazymisses", "0"));
    assertError("invalid scheduledkeys='many': a whole number", Map.of("scheduledkeys", "many"));
    assertError("standing: unknown technique 'warm-all'", Map.of("standing", "lazy+warm-all"));
    assertError("unknown standing warm option 'lazzy'", Map.of("lazzy", "3"));
    assertError("lazyclaim must be a duration above 0: 0s", Map.of("lazyclaim", "0"));
    assertError("standinglease must be at least 3s: 1s", Map.of("standinglease", "1s"));
    assertError(
        "unknown standing warm options 'lazzy', 'refresh'", Map.of("refresh", "1", "lazzy", "3"));
  }

  private static void assertError(String start, Map<String, String> options) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StandingSettings.fromOptions(options));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}
