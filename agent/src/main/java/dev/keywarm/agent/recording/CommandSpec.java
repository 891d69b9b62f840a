package dev.keywarm.agent.recording;

import java.nio.charset.StandardCharsets;

/**
 * What one Redis command means to keywarm: where its keys are, whether it reads, and when it counts
 * as a write. The whole command family lives in {@link CommandTable} as data, so a new command is
 * one entry there and no hook changes. A hash command's entries are its fields: each (key, field)
 * is counted as one cache entry ({@link dev.keywarm.schema.FieldMember}).
 */
public final class CommandSpec {

  /** Where the keys are among the arguments (index 0 is the command name). */
  public enum KeyLayout {
    /** {@code GET key}, {@code SET key value ...}: argument 1. */
    FIRST,
    /** {@code MGET key key ...}: every argument from 1. */
    ALL,
    /** {@code MSET key value key value ...}: arguments 1, 3, 5, ... */
    PAIRS,
    /** {@code RENAME key newkey}, {@code LMOVE src dst ...}: arguments 1 and 2. */
    FIRST_TWO,
    /** {@code BITOP op dest key ...}: argument 2. */
    SECOND,
    /** {@code EVAL script numkeys key ...}: the declared keys (the count is argument 2). */
    SCRIPT,
    /** {@code FLUSHALL}, {@code SWAPDB}: no key, every key. */
    EVERY_KEY,
    /** {@code HGET key field}: one hash field, its value the reply. */
    FIELD,
    /** {@code HMGET key field field ...}, {@code HDEL}: every argument from 2 a field. */
    FIELDS,
    /** {@code HSET key field value field value ...}: arguments 2, 4, 6, ... are fields. */
    FIELD_VALUES,
    /**
     * {@code HGETDEL key FIELDS n field ...}, {@code HGETEX key [EX s|...] FIELDS n field ...}: the
     * {@code n} arguments after the {@code FIELDS} keyword and its count.
     */
    FIELDS_KEYWORD
  }

  /** When a command wrote, judged from its reply (an error reply never wrote). */
  public enum WriteRule {
    NEVER,
    /** SETEX, PSETEX, MSET, GETSET: success means written. */
    ALWAYS,
    /** SETNX, MSETNX: reply 1 means written, 0 means the key existed. */
    IF_REPLY_ONE,
    /** SET: {@code OK} (or the old value with GET) means written, nil means NX/XX declined it. */
    SET_OPTIONS
  }

  /**
   * When a command changes a key's value or expiry beyond what {@link WriteRule} counts: the
   * snapshot must then not restore the value it read before. Judged conservatively — a command that
   * failed may still have been applied, so a failed write or invalidation invalidates too.
   */
  public enum InvalidateRule {
    /** Reads and counted writes; a counted write invalidates as a write. */
    NEVER,
    /** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST, and commands not known to leave keys be. */
    INVALIDATES,
    /** DEL, UNLINK, GETDEL: the key is gone ({@code rewarm=on-delete} reloads hot ones). */
    DELETES,
    /** GETEX: only with an option (EX, PX, EXAT, PXAT, PERSIST) does it change the expiry. */
    WITH_OPTIONS
  }

  /** What a command says about its keys' expiry (issue: observed TTLs per key and pattern). */
  public enum TtlRule {
    /** Nothing (reads, DEL). */
    NONE,
    /** A write that leaves the key without expiry: SETNX, MSET, MSETNX, GETSET. */
    CLEARS,
    /** SET: EX/PX/EXAT/PXAT give it, KEEPTTL keeps the old one, none of them clears it. */
    SET_OPTIONS,
    /** SETEX, EXPIRE: argument 2 in seconds. */
    SECONDS,
    /** PSETEX, PEXPIRE: argument 2 in ms. */
    MILLIS,
    /** EXPIREAT: argument 2, a Unix time in seconds. */
    AT_SECONDS,
    /** PEXPIREAT: argument 2, a Unix time in ms. */
    AT_MILLIS,
    /** PERSIST: no expiry any more. */
    PERSIST,
    /** GETEX: EX/PX/EXAT/PXAT or PERSIST, if given. */
    GETEX_OPTIONS
  }

  private final byte[] name;
  private final KeyLayout keys;
  private final boolean reads;
  private final WriteRule write;
  private final InvalidateRule invalidate;
  private final TtlRule ttl;

  CommandSpec(String name, KeyLayout keys, boolean reads, WriteRule write) {
    this(name, keys, reads, write, InvalidateRule.NEVER, TtlRule.NONE);
  }

  CommandSpec(String name, KeyLayout keys, boolean reads, WriteRule write, TtlRule ttl) {
    this(name, keys, reads, write, InvalidateRule.NEVER, ttl);
  }

  CommandSpec(
      String name,
      KeyLayout keys,
      boolean reads,
      WriteRule write,
      InvalidateRule invalidate,
      TtlRule ttl) {
    this.name = name.getBytes(StandardCharsets.US_ASCII);
    this.keys = keys;
    this.reads = reads;
    this.write = write;
    this.invalidate = invalidate;
    this.ttl = ttl;
  }

  boolean isKeyArgument(int index) {
    return switch (keys) {
      case FIRST -> index == 1;
      case ALL -> index >= 1;
      case PAIRS -> (index & 1) == 1;
      case FIRST_TWO -> index == 1 || index == 2;
      case SECOND -> index == 2;
      case SCRIPT, EVERY_KEY -> false; // a script's keys: CallRecord counts them from argument 2
      case FIELD, FIELDS, FIELD_VALUES, FIELDS_KEYWORD -> false; // key and fields: hasFields
    };
  }

  /** A hash command: argument 1 is its key, and each (key, field) is one cache entry. */
  boolean hasFields() {
    return keys == KeyLayout.FIELD
        || keys == KeyLayout.FIELDS
        || keys == KeyLayout.FIELD_VALUES
        || keys == KeyLayout.FIELDS_KEYWORD;
  }

  /**
   * Argument {@code index} is a field by position alone (HGETDEL and HGETEX find theirs after the
   * FIELDS keyword: {@link CallRecord}).
   */
  boolean isFieldArgument(int index) {
    return switch (keys) {
      case FIELD -> index == 2;
      case FIELDS -> index >= 2;
      case FIELD_VALUES -> index >= 2 && (index & 1) == 0;
      default -> false;
    };
  }

  /** One reply value per entry, in order: MGET, HMGET, HGETDEL, HGETEX. */
  boolean readsEach() {
    return reads
        && (keys == KeyLayout.ALL || keys == KeyLayout.FIELDS || keys == KeyLayout.FIELDS_KEYWORD);
  }

  /** SET's options come after key and value; only SET needs them to judge its reply. */
  boolean isOptionArgument(int index) {
    return write == WriteRule.SET_OPTIONS && index >= 3;
  }

  /** GETEX's options come after the key: any one of them changes the expiry. */
  boolean isExpiryOption(int index) {
    return invalidate == InvalidateRule.WITH_OPTIONS && index >= 2 && !hasFields();
  }

  boolean matches(byte[] command) {
    return isNamed(command, name);
  }

  /**
   * True if {@code command} is {@code upperCaseName}, ignoring ASCII case (clients send upper case,
   * a raw {@code sendCommand} may not).
   */
  public static boolean isNamed(byte[] command, byte[] upperCaseName) {
    if (command.length != upperCaseName.length) {
      return false;
    }
    for (int i = 0; i < upperCaseName.length; i++) {
      if ((command[i] & 0xDF) != upperCaseName[i]) {
        return false;
      }
    }
    return true;
  }

  KeyLayout keys() {
    return keys;
  }

  boolean reads() {
    return reads;
  }

  WriteRule write() {
    return write;
  }

  InvalidateRule invalidate() {
    return invalidate;
  }

  TtlRule ttl() {
    return ttl;
  }

  /** Changes an expiry without writing a value: the EXPIRE family, PERSIST, GETEX. */
  boolean changesExpiry() {
    return write == WriteRule.NEVER && ttl != TtlRule.NONE;
  }

  @Override
  public String toString() {
    return new String(name, StandardCharsets.US_ASCII);
  }
}
