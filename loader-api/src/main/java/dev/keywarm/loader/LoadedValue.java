package dev.keywarm.loader;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link KeyLoader} produced for one key: value bytes and an optional TTL, a {@code DUMP}
 * payload (copied from another Redis), or the note that the loader stored the key itself.
 */
public final class LoadedValue {

  /** How the runner writes the value. */
  public enum Kind {
    /** {@code SET key value NX [PX ttl]}. */
    VALUE,
    /**
     * {@code RESTORE key ttl payload} without {@code REPLACE}, so an existing key is never
     * replaced.
     */
    DUMP,
    /**
     * Nothing: the loader's own call filled the cache (e.g. an HTTP endpoint that caches on read).
     */
    STORED_BY_LOADER
  }

  private static final LoadedValue STORED =
      new LoadedValue(Kind.STORED_BY_LOADER, new byte[0], null);

  private final Kind kind;
  private final byte[] bytes;
  private final Duration ttl;

  private LoadedValue(Kind kind, byte[] bytes, Duration ttl) {
    this.kind = kind;
    this.bytes = bytes;
    this.ttl = ttl;
  }

  /** A value whose TTL comes from the pattern's configuration, else the runner's default. */
  public static LoadedValue of(byte[] value) {
    return new LoadedValue(Kind.VALUE, Objects.requireNonNull(value, "value"), null);
  }

  /** A value with its own TTL (positive). */
  public static LoadedValue of(byte[] value, Duration ttl) {
    return new LoadedValue(Kind.VALUE, Objects.requireNonNull(value, "value"), positive(ttl));
  }

  /**
   * A {@code DUMP} payload with the source key's remaining TTL; {@code null} TTL means the source
   * key had none, and the copy gets none either (no default TTL is applied to a copy).
   */
  public static LoadedValue dump(byte[] payload, Duration remainingTtl) {
    return new LoadedValue(
        Kind.DUMP,
        Objects.requireNonNull(payload, "payload"),
        remainingTtl == null ? null : positive(remainingTtl));
  }

  /** The loader wrote the key itself; the runner counts it as warmed and writes nothing. */
  public static LoadedValue storedByLoader() {
    return STORED;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Value bytes ({@link Kind#VALUE}), payload ({@link Kind#DUMP}), or empty. Not copied: do not
   * modify.
   */
  public byte[] bytes() {
    return bytes;
  }

  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  private static Duration positive(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("TTL must be positive: " + ttl);
    }
    return ttl;
  }

  @Override
  public String toString() {
    return kind + "(" + bytes.length + " bytes" + (ttl == null ? "" : ", ttl " + ttl) + ")";
  }
}
