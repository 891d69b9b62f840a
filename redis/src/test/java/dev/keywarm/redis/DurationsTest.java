package dev.keywarm.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesEveryUnitAndFormatsBack() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse(" 10S "));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(2), Durations.parse("2h"));
    assertEquals(Duration.ofDays(8), Durations.parse("8d"));
    assertEquals(Duration.ZERO, Durations.parse("0s"));
    assertEquals(Duration.ZERO, Durations.parse("0"));
    for (String text : new String[] {"500ms", "10s", "5m", "2h", "8d", "90s", "1500ms"}) {
      assertEquals(text, Durations.format(Durations.parse(text)));
    }
  }

  @Test
  void refusesWhatItWouldHaveToGuess() {
    for (String text :
        new String[] {"24", "1.5h", "10 s", "-1s", "abc", "", "99999999999999999999s"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Durations.parse(text), text);
      assertEquals(Durations.FORM, e.getMessage());
    }
    assertEquals(
        "a duration of at most 366d",
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("367d")).getMessage());
    assertEquals(
        "a duration greater than zero",
        assertThrows(IllegalArgumentException.class, () -> Durations.parsePositive("0ms"))
            .getMessage());
  }
}
