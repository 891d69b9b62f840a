package dev.keywarm.schema.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keywarm.schema.KeySchema.PlanField;
import dev.keywarm.schema.PairMember;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot file form: every member, score and meta field back exactly, whatever the locale. */
class PlanFileTest {

  static WarmPlan sample() {
    List<List<WarmPlan.Entry>> hours = new java.util.ArrayList<>();
    for (int h = 0; h < 24; h++) {
      hours.add(h == 7 ? List.of(entry(new byte[] {0, (byte) 0xFF, 10}, 1.0 / 3)) : List.of());
    }
    PlanMeta meta =
        PlanMeta.EMPTY
            .with(PlanField.EXPECTED_COVERAGE, 0.9523809523809523)
            .with(PlanField.K, 10_000)
            .with(PlanField.HELPS_LITTLE, false)
            .withHourly(PlanField.EXPECTED_COVERAGE_HOURLY, Map.of(6, 0.83, 7, 0.9))
            .with(PlanField.BACKTEST, "trained on 18 hours, scored on 6");
    return new WarmPlan(
        List.of(entry(text("product:1"), 4800.5), entry(text("product:2"), 1e-7)),
        hours,
        List.of(entry(PairMember.encode(text("a"), text("b")), 12.25)),
        meta,
        List.of(entry(text("product:1"), 600_000), entry(text("product:2"), WarmPlan.NO_TTL)));
  }

  @Test
  void roundTripsExactlyUnderAGermanLocale() throws IOException {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      WarmPlan plan = sample();
      WarmPlan read = PlanFile.read(input(bytes(plan)));
      assertEquals(plan, read);
      assertEquals(0.9523809523809523, read.meta().number(PlanField.EXPECTED_COVERAGE));
      assertEquals("0.9523809523809523", read.meta().text(PlanField.EXPECTED_COVERAGE));
      assertEquals(Map.of(6, 0.83, 7, 0.9), read.meta().hourly(PlanField.EXPECTED_COVERAGE_HOURLY));
      assertEquals(0xFF, read.hour(7).get(0).member()[1] & 0xFF);
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void anotherFormatOrACutFileIsAnErrorNotAPartialPlan() throws IOException {
    ByteArrayOutputStream other = new ByteArrayOutputStream();
    new DataOutputStream(other).writeUTF("KWPLAN1");
    assertThrows(IOException.class, () -> PlanFile.read(input(other.toByteArray())));
    byte[] whole = bytes(sample());
    assertThrows(
        IOException.class, () -> PlanFile.read(input(Arrays.copyOf(whole, whole.length - 3))));
  }

  @Test
  void aPlanWrittenBeforePlansHadTtlsReadsAsOneWithoutThem() throws IOException {
    WarmPlan plan = sample();
    byte[] current = bytes(plan);
    // KWPLAN2 is the same layout without the trailing TTL list
    ByteArrayOutputStream old = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(old)) {
      data.writeUTF("KWPLAN2");
    }
    int headerLength = 2 + "KWPLAN3".length();
    int ttlBytes = 4 + 2 * 4 + "product:1".length() + "product:2".length() + 2 * 8;
    old.write(current, headerLength, current.length - headerLength - ttlBytes);
    WarmPlan read = PlanFile.read(input(old.toByteArray()));
    assertEquals(List.of(), read.ttls());
    assertEquals(plan.overall(), read.overall());
    assertEquals(plan.pairs(), read.pairs());
  }

  static WarmPlan.Entry entry(byte[] member, double score) {
    return new WarmPlan.Entry(member, score);
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(WarmPlan plan) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(out)) {
      PlanFile.write(plan, data);
    }
    return out.toByteArray();
  }

  private static DataInputStream input(byte[] bytes) {
    return new DataInputStream(new ByteArrayInputStream(bytes));
  }
}
