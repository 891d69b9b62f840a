package dev.keywarm.schema.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SnapshotEntryTest {

  private static final long T = 1_764_000_000_000L;

  @Test
  void roundTripsBinaryPayloads() {
    byte[] payload = {0, (byte) 0xFF, 10, 13, 'x'};
    SnapshotEntry decoded = SnapshotEntry.decode(new SnapshotEntry(T, T + 5_000, payload).encode());
    assertEquals(T, decoded.readAtMillis());
    assertEquals(T + 5_000, decoded.expireAtMillis());
    assertArrayEquals(payload, decoded.payload());
  }

  @Test
  void bytesThatAreNoEntryDecodeToNull() {
    assertNull(SnapshotEntry.decode(null));
    assertNull(SnapshotEntry.decode(new byte[] {'S', 1, 0}));
    byte[] otherVersion = new SnapshotEntry(T, 0, new byte[1]).encode();
    otherVersion[1] = 2;
    assertNull(SnapshotEntry.decode(otherVersion));
  }

  @Test
  void restorableOnlyWhenNothingChangedTheKeyAfterItWasRead() {
    SnapshotEntry entry = new SnapshotEntry(T, T + 60_000, new byte[1]);
    assertTrue(entry.restorable(T + 1_000, 0, 0));
    assertTrue(entry.restorable(T + 1_000, T - 1_000, 0), "written well before the read");
    assertFalse(entry.restorable(T + 1_000, T + 500, 0), "written after the read");
    assertFalse(
        entry.restorable(T + 1_000, T - SnapshotEntry.CLOCK_SKEW_MILLIS, 0), "within the skew");
    assertFalse(entry.restorable(T + 1_000, 0, T + 1), "read before invalid_before");
    assertFalse(entry.restorable(T + 60_000, 0, 0), "expired");
    assertFalse(
        entry.restorable(T + 60_000 - SnapshotEntry.MIN_REMAINING_MILLIS + 1, 0, 0),
        "about to expire");
  }

  @Test
  void remainingTtlCountsFromTheExpiryAndNoExpiryStaysNone() {
    assertEquals(
        59_000, new SnapshotEntry(T, T + 60_000, new byte[0]).remainingTtlMillis(T + 1000));
    SnapshotEntry forever = new SnapshotEntry(T, 0, new byte[0]);
    assertEquals(0, forever.remainingTtlMillis(T + 1_000_000));
    assertTrue(forever.restorable(T + 1_000, 0, 0));
    assertFalse(
        forever.restorable(T + SnapshotEntry.INVALIDATIONS_KEPT.toMillis() + 1, 0, 0),
        "older than the invalidations kept");
    assertEquals(0, SnapshotEntry.expiryOf(T, -1));
    assertEquals(T + 7, SnapshotEntry.expiryOf(T, 7));
  }
}
