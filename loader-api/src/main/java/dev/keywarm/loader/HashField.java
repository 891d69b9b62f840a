package dev.keywarm.loader;

import java.util.Arrays;
import java.util.Objects;

/**
 * One field of one Redis hash, the unit a {@link FieldLoader} loads ({@code HGET user:42 profile}
 * is the field {@code profile} of the hash {@code user:42}). Equal when both byte arrays are equal.
 * The arrays are not copied: do not modify them.
 */
public record HashField(byte[] key, byte[] field) {

  public HashField {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(field, "field");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashField other
        && Arrays.equals(key, other.key)
        && Arrays.equals(field, other.field);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(field);
  }

  @Override
  public String toString() {
    return "HashField(" + key.length + " + " + field.length + " bytes)";
  }
}
