package dev.keywarm.schema.ttl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TtlHistogramTest {

  @Test
  void bucketsKeepTwoSignificantDigitsAndNeverRoundUp() {
    assertEquals(600_000, TtlHistogram.bucket(600_000));
    assertEquals(3_600_000, TtlHistogram.bucket(3_600_000));
    assertEquals(86_000_000, TtlHistogram.bucket(86_400_000));
    assertEquals(2_300, TtlHistogram.bucket(2_345));
    assertEquals(99, TtlHistogram.bucket(99));
    assertEquals(7, TtlHistogram.bucket(7));
    assertEquals(TtlHistogram.NONE, TtlHistogram.bucket(TtlHistogram.NONE));
    assertEquals(TtlHistogram.NONE, TtlHistogram.bucket(0));
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      long ttl = 1 + (random.nextLong() >>> 20);
      long bucket = TtlHistogram.bucket(ttl);
      assertTrue(bucket <= ttl && bucket > ttl * 0.9, ttl + " → " + bucket);
    }
  }

  @Test
  void fieldsParseBackEvenWhenThePatternHoldsABar() {
    String field = TtlHistogram.field("a|b:{n}", 600_000);
    assertEquals(new TtlHistogram.Cell("a|b:{n}", 600_000), TtlHistogram.parse(field));
    assertEquals(
        new TtlHistogram.Cell("x", TtlHistogram.NONE),
        TtlHistogram.parse(TtlHistogram.field("x", TtlHistogram.NONE)));
    assertNull(TtlHistogram.parse("no-bar"));
    assertNull(TtlHistogram.parse("x|ten"));
    assertNull(TtlHistogram.parse("x|0"));
  }

  @Test
  void quantilesAreOverTheWritesThatSetATtlAndTheShareWithoutIsBesideThem() {
    TtlHistogram h = new TtlHistogram();
    h.add(60_000, 60);
    h.add(600_000, 30);
    h.add(3_600_000, 10);
    h.add(TtlHistogram.NONE, 25);
    assertEquals(125, h.writes());
    assertEquals(0.2, h.shareWithoutTtl(), 1e-12);
    assertEquals(60_000, h.quantileMillis(0.5));
    assertEquals(60_000, h.quantileMillis(0.6));
    assertEquals(600_000, h.quantileMillis(0.61));
    assertEquals(600_000, h.quantileMillis(0.9));
    assertEquals(3_600_000, h.quantileMillis(0.99));
    assertEquals(60_000, h.typicalMillis());
  }

  @Test
  void mostlyWithoutTtlIsTypicallyNoneAndAnEmptyHistogramKnowsNothing() {
    TtlHistogram h = new TtlHistogram();
    assertEquals(0, h.typicalMillis());
    assertEquals(TtlHistogram.NONE, h.quantileMillis(0.5));
    h.add(TtlHistogram.NONE, 3);
    h.add(30_000, 2);
    assertEquals(TtlHistogram.NONE, h.typicalMillis());
    TtlHistogram merged = new TtlHistogram();
    merged.addAll(h);
    merged.addAll(h);
    assertEquals(10, merged.writes());
    assertEquals(30_000, merged.quantileMillis(1));
  }
}
