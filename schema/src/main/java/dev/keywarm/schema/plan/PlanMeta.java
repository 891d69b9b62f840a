package dev.keywarm.schema.plan;

import dev.keywarm.schema.KeySchema.PlanField;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plan's meta hash ({@link PlanField} → text), immutable. Numbers are written with {@link
 * Double#toString}/{@link Long#toString}, never {@code String.format}: the default locale must not
 * decide the decimal separator (under {@code de_DE} {@code %.4f} writes {@code 0,9500}, which a
 * reader parses as no number at all), and the shortest exact form reads back as the same double. A
 * coverage that was not measured is the word {@value #UNMEASURED}.
 */
public final class PlanMeta {

  public static final String UNMEASURED = "unmeasured";
  public static final PlanMeta EMPTY = new PlanMeta(new EnumMap<>(PlanField.class));

  private final EnumMap<PlanField, String> fields;

  private PlanMeta(EnumMap<PlanField, String> fields) {
    this.fields = fields;
  }

  /**
   * The known fields of a hash as Redis returned it; fields this version does not know are left
   * out.
   */
  public static PlanMeta fromHash(Map<String, String> hash) {
    EnumMap<PlanField, String> fields = new EnumMap<>(PlanField.class);
    for (PlanField field : PlanField.values()) {
      String value = hash.get(field.field());
      if (value != null) {
        fields.put(field, value);
      }
    }
    return new PlanMeta(fields);
  }

  public PlanMeta with(PlanField field, String text) {
    EnumMap<PlanField, String> copy = new EnumMap<>(fields);
    copy.put(field, text);
    return new PlanMeta(copy);
  }

  public PlanMeta with(PlanField field, long value) {
    return with(field, Long.toString(value));
  }

  public PlanMeta with(PlanField field, boolean value) {
    return with(field, Boolean.toString(value));
  }

  /** NaN is written as {@value #UNMEASURED}. */
  public PlanMeta with(PlanField field, double value) {
    return with(field, number(value));
  }

  /** Per hour of day, {@code 6=0.83,7=0.9}, hours ascending. */
  public PlanMeta withHourly(PlanField field, Map<Integer, Double> byHour) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(byHour)
        .forEach(
            (hour, value) ->
                text.append(text.length() == 0 ? "" : ",")
                    .append(hour)
                    .append('=')
                    .append(number(value)));
    return with(field, text.toString());
  }

  /** The field's text, or null if the plan has none. */
  public String text(PlanField field) {
    return fields.get(field);
  }

  /** The field as a number; NaN if absent, {@value #UNMEASURED} or not a number. */
  public double number(PlanField field) {
    return parse(fields.get(field));
  }

  /** The field written by {@link #withHourly}; hours that do not parse are left out. */
  public Map<Integer, Double> hourly(PlanField field) {
    Map<Integer, Double> byHour = new TreeMap<>();
    String text = fields.get(field);
    if (text == null || text.isEmpty()) {
      return byHour;
    }
    for (String item : text.split(",")) {
      int eq = item.indexOf('=');
      try {
        byHour.put(
            Integer.parseInt(item.substring(0, Math.max(0, eq))), parse(item.substring(eq + 1)));
      } catch (NumberFormatException e) {
        // a malformed item says nothing about its hour
      }
    }
    return byHour;
  }

  /** The hash to write: field names → values, in {@link PlanField} order. */
  public Map<String, String> toHash() {
    Map<String, String> hash = new LinkedHashMap<>();
    fields.forEach((field, value) -> hash.put(field.field(), value));
    return Collections.unmodifiableMap(hash);
  }

  private static String number(double value) {
    return Double.isNaN(value) ? UNMEASURED : Double.toString(value);
  }

  private static double parse(String text) {
    try {
      return text == null ? Double.NaN : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PlanMeta m && m.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return toHash().toString();
  }
}
