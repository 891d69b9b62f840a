package dev.keywarm.runner.plan;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A cache key's raw bytes as a map key (value equality, hash computed once). */
public final class KeyBytes {

  private final byte[] bytes;
  private final int hash;

  public KeyBytes(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  public byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyBytes k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
