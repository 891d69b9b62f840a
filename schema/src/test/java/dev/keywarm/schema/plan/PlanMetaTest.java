package dev.keywarm.schema.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.KeySchema.PlanField;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The meta hash as Redis holds it: field names from the schema, numbers a reader in any locale
 * parses.
 */
class PlanMetaTest {

  @Test
  void numbersWrittenUnderAGermanLocaleReadBackExactly() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      Map<String, String> hash =
          PlanMeta.EMPTY
              .with(PlanField.EXPECTED_COVERAGE, 0.95)
              .withHourly(
                  PlanField.EXPECTED_COVERAGE_HOURLY, Map.of(23, 0.125, 6, 0.8333333333333334))
              .toHash();
      assertEquals("0.95", hash.get("expected_coverage"));
      assertEquals("6=0.8333333333333334,23=0.125", hash.get("expected_coverage_hourly"));
      PlanMeta read = PlanMeta.fromHash(hash);
      assertEquals(0.95, read.number(PlanField.EXPECTED_COVERAGE));
      assertEquals(
          Map.of(6, 0.8333333333333334, 23, 0.125),
          read.hourly(PlanField.EXPECTED_COVERAGE_HOURLY));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void anUnmeasuredCoverageIsAWordAndReadsAsNaN() {
    PlanMeta meta = PlanMeta.EMPTY.with(PlanField.EXPECTED_COVERAGE, Double.NaN);
    assertEquals("unmeasured", meta.toHash().get("expected_coverage"));
    assertTrue(Double.isNaN(PlanMeta.fromHash(meta.toHash()).number(PlanField.EXPECTED_COVERAGE)));
    assertTrue(Double.isNaN(PlanMeta.EMPTY.number(PlanField.EXPECTED_COVERAGE)), "absent");
    assertTrue(
        Double.isNaN(
            PlanMeta.fromHash(Map.of("expected_coverage", "0,95"))
                .number(PlanField.EXPECTED_COVERAGE)),
        "a comma is not a decimal point");
  }

  @Test
  void fieldsThisVersionDoesNotKnowAreLeftOut() {
    PlanMeta meta = PlanMeta.fromHash(Map.of("k", "20", "from_the_future", "x"));
    assertEquals(Map.of("k", "20"), meta.toHash());
    assertNull(meta.text(PlanField.APP));
  }
}
