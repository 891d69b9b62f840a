package dev.keywarm.schema.snapshot;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One key's value in the hot-set snapshot, as stored in {@code KeySchema.snapshotValues()}: when it
 * was read from the cache Redis, when it expires there, and its {@code DUMP} payload. Also the one
 * rule, shared by the agent that keeps the snapshot and the runner that restores it, for when an
 * entry may be restored ({@link #restorable}).
 *
 * <p>Encoding (big-endian): {@code 'S'}, version {@code 1}, read time (8 bytes, epoch ms), expiry
 * (8 bytes, epoch ms, 0 = none), then the payload as {@code DUMP} returned it.
 *
 * <p>Times are wall-clock milliseconds of different hosts: the read time is taken before the {@code
 * DUMP} is sent and an invalidation's time after its command returned (or failed), so on one host a
 * write that the read could have missed always has the later time. Across hosts {@link
 * #CLOCK_SKEW_MILLIS} covers clocks that disagree by up to that much (NTP keeps them within a few
 * ms).
 */
public record SnapshotEntry(long readAtMillis, long expireAtMillis, byte[] payload) {

  private static final byte MAGIC = 'S';
  private static final byte VERSION = 1;
  private static final int HEADER = 2 + 8 + 8;

  /** An entry read within this long after a key's invalidation is not trusted. */
  public static final long CLOCK_SKEW_MILLIS = 100;

  /**
   * How long invalidations are kept; an entry older than this is never restored, since a write
   * before then may be forgotten. The keeper re-reads every entry well within it ({@link
   * #REFRESH_AFTER}).
   */
  public static final Duration INVALIDATIONS_KEPT = Duration.ofHours(1);

  /** The keeper re-reads an entry at the latest this long after its last read. */
  public static final Duration REFRESH_AFTER = Duration.ofMinutes(20);

  /** A key with less TTL left than this is not worth restoring: it would expire at once. */
  public static final long MIN_REMAINING_MILLIS = 50;

  public SnapshotEntry {
    if (payload == null) {
      throw new IllegalArgumentException("payload is required");
    }
  }

  public byte[] encode() {
    return ByteBuffer.allocate(HEADER + payload.length)
        .put(MAGIC)
        .put(VERSION)
        .putLong(readAtMillis)
        .putLong(expireAtMillis)
        .put(payload)
        .array();
  }

  /** The entry, or null for bytes that are not one (another version, damaged): never restored. */
  public static SnapshotEntry decode(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER || bytes[0] != MAGIC || bytes[1] != VERSION) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.position(2);
    long readAt = in.getLong();
    long expireAt = in.getLong();
    byte[] payload = new byte[bytes.length - HEADER];
    in.get(payload);
    return new SnapshotEntry(readAt, expireAt, payload);
  }

  /** The TTL {@code PTTL} reported at {@code readAtMillis} as an expiry; 0 for none. */
  public static long expiryOf(long readAtMillis, long pttlMillis) {
    return pttlMillis < 0 ? 0 : readAtMillis + pttlMillis;
  }

  public boolean hasExpiry() {
    return expireAtMillis != 0;
  }

  /** TTL left at {@code nowMillis}: 0 for a key without expiry, negative once (almost) expired. */
  public long remainingTtlMillis(long nowMillis) {
    if (expireAtMillis == 0) {
      return 0;
    }
    long left = expireAtMillis - nowMillis;
    return left >= MIN_REMAINING_MILLIS ? left : -1;
  }

  /**
   * True if this value may be put back at {@code nowMillis}: it is what the application would be
   * serving now had the cache not lost it. Not when the key was written, deleted or given another
   * expiry after (or within {@link #CLOCK_SKEW_MILLIS} before) it was read, not when it has
   * expired, not when it is older than {@link #INVALIDATIONS_KEPT}, and not when it was read before
   * {@code invalidBeforeMillis} (a time from which some instance cannot vouch for its writes).
   *
   * @param invalidatedAtMillis the key's last invalidation, 0 if none is known
   * @param invalidBeforeMillis the snapshot's {@code invalid_before}, 0 if none
   */
  public boolean restorable(long nowMillis, long invalidatedAtMillis, long invalidBeforeMillis) {
    long lastChange = Math.max(invalidatedAtMillis, invalidBeforeMillis);
    return readAtMillis > lastChange + CLOCK_SKEW_MILLIS
        && readAtMillis > nowMillis - INVALIDATIONS_KEPT.toMillis()
        && remainingTtlMillis(nowMillis) >= 0;
  }
}
