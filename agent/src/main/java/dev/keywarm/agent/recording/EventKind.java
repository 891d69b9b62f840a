package dev.keywarm.agent.recording;

/** What happened to a key; stored as a byte in the recording buffers. */
public final class EventKind {
  public static final byte HIT = 0;
  public static final byte MISS = 1;
  public static final byte WRITE = 2;

  /** A timed cache-aside load: GET miss, then SET of the same key; the value is the gap in ns. */
  public static final byte LOAD = 3;

  private EventKind() {}
}
