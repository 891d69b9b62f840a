package dev.keywarm.agent.recording;

/** What happened to a key; stored as a byte in the recording buffers. */
public final class EventKind {
  public static final byte HIT = 0;
  public static final byte MISS = 1;
  public static final byte WRITE = 2;

  /** A timed cache-aside load: GET miss, then SET of the same key; the value is the gap in ns. */
  public static final byte LOAD = 3;

  /**
   * A command that may have changed a key's value or expiry without being a counted write: DEL,
   * UNLINK, EXPIRE and the like, GETDEL, and any write that failed (it may have landed). Only the
   * hot-set snapshot uses it, to never restore a value read before it.
   */
  public static final byte INVALIDATE = 4;

  /** An INVALIDATE's value when the command deleted the key (DEL, UNLINK, GETDEL); else 0. */
  public static final long DELETED = 1;

  /**
   * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST or GETEX with an option changed a key's expiry;
   * the value is the new TTL ({@link #TTL_NONE} or ms). Also an invalidation for the snapshot.
   */
  public static final byte EXPIRY = 5;

  /** A WRITE's or EXPIRY's value: the key now has no expiry. */
  public static final long TTL_NONE = -1;

  /** A WRITE's value when the write left the expiry as it was (SET ... KEEPTTL) or said nothing. */
  public static final long TTL_UNKNOWN = 0;

  private EventKind() {}
}
