package dev.keywarm.agent.recording;

import dev.keywarm.schema.StoredKey;
import java.util.Arrays;
import java.util.List;

/**
 * One intercepted command on its way from a hook to the recording buffers: the hook hands over the
 * command name and its arguments, then the reply; this class decides what that meant (hit, miss,
 * write, nothing) from the command's {@link CommandSpec}.
 *
 * <p>For a synchronous call the record is the calling thread's reusable scratch object, so a call
 * with a repeated key allocates nothing here. A pipelined or MULTI command is {@link #detach()}ed
 * into its own object when queued and resolved when the pipeline's reply arrives ({@link
 * PendingReplies}). A Lettuce command needs neither: it carries its arguments to its completion,
 * where it is read on the I/O thread into that thread's scratch record, and only the issuing thread
 * is remembered ({@link #issuing}, {@link #issuedBy}). Methods called from advice never throw.
 *
 * <p>A hash command (HGET, HSET...) is recorded per field: its key and fields are held apart, as
 * the client's own arrays, and each (key, field) is one entry — a hit, miss or write of {@link
 * dev.keywarm.schema.FieldMember#encode}, built only when the event is drained.
 */
public final class CallRecord {

  private static final byte[][] NO_KEYS = new byte[0][];

  private final ThreadRecorder owner;
  private CommandSpec spec;

  /**
   * The keys; for a hash command ({@link CommandSpec#hasFields}) the fields of {@link #hashKey}.
   */
  private byte[][] keys;

  private int keyCount;

  /** A hash command's key (argument 1); null for any other command. */
  private byte[] hashKey;

  /** HGETDEL, HGETEX: fields still to come after {@code FIELDS n}, or one of the two states. */
  private long fieldsLeft;

  private static final long BEFORE_FIELDS = -2;
  private static final long FIELD_COUNT_NEXT = -1;

  private boolean optionGet;
  private boolean optionNx;
  private boolean optionXx;
  private boolean optionExpiry;
  private long originTag;

  /**
   * The expiry the command gives its keys, as far as its arguments said (see {@link EventKind}).
   */
  private long ttlMillis;

  /** The unit of the number expected next: after EX, PX, EXAT or PXAT (0: none expected). */
  private byte ttlUnit;

  private boolean keepTtl;

  /** EVAL's numkeys: its keys are the arguments after it. */
  private long scriptKeys;

  CallRecord(ThreadRecorder owner) {
    this.owner = owner;
    this.keys = new byte[4][];
  }

  private CallRecord(CallRecord source) {
    this.owner = null;
    this.spec = source.spec;
    this.keys = source.keyCount == 0 ? NO_KEYS : Arrays.copyOf(source.keys, source.keyCount);
    this.keyCount = source.keyCount;
    this.hashKey = source.hashKey;
    this.optionGet = source.optionGet;
    this.optionNx = source.optionNx;
    this.optionXx = source.optionXx;
    this.optionExpiry = source.optionExpiry;
    this.originTag = source.originTag;
    this.ttlMillis = source.ttlMillis;
    this.keepTtl = source.keepTtl;
  }

  /**
   * Starts recording a command on this thread, or returns null when the command is not one keywarm
   * records or recording is off. Called from advice with the command's name bytes.
   */
  public static CallRecord begin(byte[] command) {
    try {
      Recorder recorder = Recorder.active();
      if (recorder == null) {
        return null;
      }
      CommandSpec spec = CommandTable.find(command);
      if (spec == null) {
        if (!recorder.recordsInvalidations()) {
          return null;
        }
        spec = CommandTable.mayWrite(command); // INCR, HSET, RENAME...: the snapshot must know
        if (spec == null) {
          return null;
        }
        if (spec.keys() == CommandSpec.KeyLayout.EVERY_KEY) {
          recorder.invalidationLost(); // FLUSHALL: from now on nothing read before is vouched for
        }
      }
      CallRecord call = recorder.threadRecorder().call;
      call.reset(spec);
      return call;
    } catch (Throwable t) {
      return null;
    }
  }

  private void reset(CommandSpec newSpec) {
    spec = newSpec;
    for (int i = 0; i < keyCount; i++) {
      keys[i] = null;
    }
    keyCount = 0;
    hashKey = null;
    fieldsLeft = BEFORE_FIELDS;
    optionGet = false;
    optionNx = false;
    optionXx = false;
    optionExpiry = false;
    ttlMillis = EventKind.TTL_UNKNOWN;
    ttlUnit = 0;
    keepTtl = false;
    scriptKeys = 0;
    originTag = owner == null ? originTag : owner.tag();
  }

  /** Argument {@code index} (1 = first after the command name) of the command being recorded. */
  public void argument(int index, byte[] value) {
    if (value == null) {
      return;
    }
    if (spec.hasFields()) {
      hashArgument(index, value);
    } else if (spec.keys() == CommandSpec.KeyLayout.SCRIPT && index == 2) {
      scriptKeys = decimal(value);
    } else if (spec.isKeyArgument(index) || isScriptKey(index)) {
      addKey(value);
    } else {
      expiryArgument(index, value);
      if (spec.isOptionArgument(index) && value.length == 3) {
        optionGet |= is(value, 'G', 'E', 'T');
      } else if (spec.isOptionArgument(index) && value.length == 2) {
        optionNx |= is(value, 'N', 'X');
        optionXx |= is(value, 'X', 'X');
      } else if (spec.isExpiryOption(index)) {
        optionExpiry = true;
      }
    }
  }

  /**
   * True if argument {@code index} may name a key or a field. A client that must copy an argument
   * to read it (Redisson's codec-encoded values) passes only these, and short keywords.
   */
  public boolean isEntryArgument(int index) {
    if (spec.hasFields()) {
      return index == 1
          || spec.isFieldArgument(index)
          || spec.keys() == CommandSpec.KeyLayout.FIELDS_KEYWORD;
    }
    return spec.isKeyArgument(index) || isScriptKey(index);
  }

  private void addKey(byte[] value) {
    if (keyCount == keys.length) {
      keys = Arrays.copyOf(keys, keyCount * 2);
    }
    keys[keyCount++] = stored(value);
  }

  /**
   * A key (or field) longer than a stored member is reduced to one here, before anything holds it:
   * the agent then never keeps an application's huge key array alive (rings, miss table,
   * pipelines).
   */
  private static byte[] stored(byte[] value) {
    return value.length > StoredKey.MAX_BYTES ? StoredKey.member(value) : value;
  }

  private static final byte[] K_FIELDS = {'F', 'I', 'E', 'L', 'D', 'S'};

  /** A hash command's argument: its key, a field, or (HGETEX) an expiry option. */
  private void hashArgument(int index, byte[] value) {
    if (index == 1) {
      hashKey = stored(value);
    } else if (hashKey == null) {
      return; // no key, no entries
    } else if (spec.keys() != CommandSpec.KeyLayout.FIELDS_KEYWORD) {
      if (spec.isFieldArgument(index)) {
        addKey(value);
      }
    } else if (fieldsLeft > 0) {
      fieldsLeft--;
      addKey(value);
    } else if (fieldsLeft == FIELD_COUNT_NEXT) {
      fieldsCounted(decimal(value));
    } else if (fieldsLeft == BEFORE_FIELDS) {
      if (CommandSpec.isNamed(value, K_FIELDS)) {
        fieldsLeft = FIELD_COUNT_NEXT;
      } else {
        optionExpiry = true; // HGETEX EX/PX/EXAT/PXAT/PERSIST: the fields' expiry changes
      }
    }
  }

  private void fieldsCounted(long count) {
    fieldsLeft = Math.max(0, count); // not a number (MIN_VALUE): no fields
  }

  /**
   * A numeric argument the client holds as a number (Lettuce): {@code EX 10}, {@code EXPIRE key
   * 10}. Allocation-free; from advice, never throws.
   */
  public void number(int index, long value) {
    try {
      if (spec.keys() == CommandSpec.KeyLayout.SCRIPT && index == 2) {
        scriptKeys = value;
        return;
      }
      if (spec.keys() == CommandSpec.KeyLayout.FIELDS_KEYWORD) {
        if (fieldsLeft == FIELD_COUNT_NEXT) {
          fieldsCounted(value);
        } else if (fieldsLeft == BEFORE_FIELDS && index >= 2) {
          optionExpiry = true; // HGETEX EX 10, the number as a number
        }
        return;
      }
      if (spec.isExpiryOption(index)) {
        optionExpiry = true;
      }
      expiryNumber(index, value);
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  private static final byte[] K_EX = {'E', 'X'};
  private static final byte[] K_PX = {'P', 'X'};
  private static final byte[] K_EXAT = {'E', 'X', 'A', 'T'};
  private static final byte[] K_PXAT = {'P', 'X', 'A', 'T'};
  private static final byte[] K_KEEPTTL = {'K', 'E', 'E', 'P', 'T', 'T', 'L'};
  private static final byte[] K_PERSIST = {'P', 'E', 'R', 'S', 'I', 'S', 'T'};

  private static final byte EX = 1;
  private static final byte PX = 2;
  private static final byte EXAT = 3;
  private static final byte PXAT = 4;

  /** EX/PX/EXAT/PXAT/KEEPTTL/PERSIST keywords and the numbers after them, or argument 2. */
  private void expiryArgument(int index, byte[] value) {
    switch (spec.ttl()) {
      case SET_OPTIONS, GETEX_OPTIONS -> {
        if (index < (spec.ttl() == CommandSpec.TtlRule.SET_OPTIONS ? 3 : 2)) {
          return; // SET's value, or the key
        } else if (ttlUnit != 0) {
          expiryNumber(index, decimal(value));
        } else if (CommandSpec.isNamed(value, K_EX)) {
          ttlUnit = EX;
        } else if (CommandSpec.isNamed(value, K_PX)) {
          ttlUnit = PX;
        } else if (CommandSpec.isNamed(value, K_EXAT)) {
          ttlUnit = EXAT;
        } else if (CommandSpec.isNamed(value, K_PXAT)) {
          ttlUnit = PXAT;
        } else if (CommandSpec.isNamed(value, K_KEEPTTL)) {
          keepTtl = true;
        } else if (CommandSpec.isNamed(value, K_PERSIST)) {
          ttlMillis = EventKind.TTL_NONE;
        }
      }
      case SECONDS, MILLIS, AT_SECONDS, AT_MILLIS -> {
        if (index == 2) {
          expiryNumber(index, decimal(value));
        }
      }
      default -> {
        // no expiry in this command's arguments
      }
    }
  }

  private void expiryNumber(int index, long number) {
    if (number == Long.MIN_VALUE) {
      ttlUnit = 0;
      return; // not a number: the expiry stays unknown
    }
    byte unit = ttlUnit;
    ttlUnit = 0;
    if (unit == 0) {
      if (index != 2) {
        return;
      }
      unit =
          switch (spec.ttl()) {
            case SECONDS -> EX;
            case MILLIS -> PX;
            case AT_SECONDS -> EXAT;
            case AT_MILLIS -> PXAT;
            default -> 0;
          };
    }
    long millis =
        switch (unit) {
          case EX -> number * 1000;
          case PX -> number;
          case EXAT -> number * 1000 - System.currentTimeMillis();
          case PXAT -> number - System.currentTimeMillis();
          default -> EventKind.TTL_UNKNOWN;
        };
    if (unit != 0) {
      ttlMillis = Math.max(1, millis); // a time in the past: expired at once
    }
  }

  private boolean isScriptKey(int index) {
    return spec.keys() == CommandSpec.KeyLayout.SCRIPT && index >= 3 && index < 3 + scriptKeys;
  }

  /** ASCII digits (with a sign) as a number, without allocating; Long.MIN_VALUE if not one. */
  private static long decimal(byte[] digits) {
    if (digits.length == 0 || digits.length > 19) {
      return Long.MIN_VALUE;
    }
    boolean negative = digits[0] == '-';
    long value = 0;
    for (int i = negative ? 1 : 0; i < digits.length; i++) {
      int d = digits[i] - '0';
      if (d < 0 || d > 9) {
        return Long.MIN_VALUE;
      }
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }

  /** The expiry a write leaves its keys with. */
  private long writtenTtl() {
    return switch (spec.ttl()) {
      case CLEARS -> EventKind.TTL_NONE;
      case SET_OPTIONS ->
          keepTtl
              ? EventKind.TTL_UNKNOWN
              : ttlMillis != EventKind.TTL_UNKNOWN ? ttlMillis : EventKind.TTL_NONE;
      case SECONDS, MILLIS -> ttlMillis;
      default -> EventKind.TTL_UNKNOWN;
    };
  }

  /** EXPIRE-like: reply 1 (or true) means it applied; GETEX: a value came back. */
  private boolean expiryApplied(Object reply) {
    if (spec.ttl() == CommandSpec.TtlRule.GETEX_OPTIONS) {
      return optionExpiry && reply != null;
    }
    return reply instanceof Number number && number.longValue() == 1L || Boolean.TRUE.equals(reply);
  }

  private long changedTtl() {
    return spec.ttl() == CommandSpec.TtlRule.PERSIST ? EventKind.TTL_NONE : ttlMillis;
  }

  private static boolean is(byte[] value, char... expected) {
    for (int i = 0; i < expected.length; i++) {
      if ((value[i] & 0xDF) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  /** The synchronous reply arrived (or the call threw). */
  public void complete(Object reply, Throwable thrown) {
    try {
      ThreadRecorder recorder = owner;
      if (thrown != null) {
        failed(recorder);
      } else {
        resolve(recorder, reply);
      }
      reset(spec);
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /**
   * This thread issues {@code command} and its reply will be decoded on another thread (Lettuce):
   * remembers this thread as the origin of the command's reads. From advice.
   */
  public void issuing(Object command) {
    try {
      owner.origins().issued(command, owner.tag());
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /**
   * The reply to {@code command}, issued on another thread, is resolved here: its reads are that
   * thread's.
   */
  public void issuedBy(Object command) {
    try {
      originTag = owner.origins().originOf(command);
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** A copy that outlives this call, for a command whose reply comes later (pipeline, MULTI). */
  public CallRecord detach() {
    CallRecord copy = new CallRecord(this);
    reset(spec);
    return copy;
  }

  /** Resolves a detached record with its raw reply, on whichever thread received it. */
  public void completeDetached(Object rawReply) {
    Recorder recorder = Recorder.active();
    if (recorder != null) {
      resolve(recorder.threadRecorder(), rawReply);
    }
  }

  /**
   * This command will not be resolved (no room to track it, its reply never came): if it could
   * write or invalidate, the snapshot can no longer vouch for what was read before now.
   */
  public void untracked() {
    try {
      Recorder recorder = Recorder.active();
      if (recorder != null
          && (spec.write() != CommandSpec.WriteRule.NEVER
              || spec.invalidate() != CommandSpec.InvalidateRule.NEVER
              || spec.changesExpiry())) {
        recorder.invalidationLost();
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /**
   * MGET-like (MGET, HMGET...): one reply value per key or field. A client that streams values
   * reports them one by one.
   */
  public boolean readsEachKey() {
    return spec.readsEach();
  }

  boolean reads() {
    return spec.reads();
  }

  boolean hasKeys() {
    return keyCount > 0;
  }

  private void resolve(ThreadRecorder recorder, Object reply) {
    if (reply instanceof Throwable || reply == PendingReplies.FAILED) {
      failed(recorder);
      return;
    }
    if (spec.reads()) {
      if (spec.readsEach()) {
        if (!(reply instanceof List<?> values)) {
          return;
        }
        int count = Math.min(keyCount, values.size());
        for (int i = 0; i < count; i++) {
          read(recorder, i, values.get(i));
        }
      } else if (keyCount > 0) {
        read(recorder, 0, reply);
      }
    }
    if (written(recorder, reply)) {
      long ttl = writtenTtl();
      for (int i = 0; i < keyCount; i++) {
        recorder.write(key(i), field(i), ttl);
      }
      hashChanged(recorder);
    } else if (spec.changesExpiry()) {
      if (expiryApplied(reply)) {
        long ttl = changedTtl();
        for (int i = 0; i < keyCount; i++) {
          recorder.expiry(keys[i], ttl);
        }
      }
    } else if (invalidates()) {
      invalidateKeys(recorder, spec.invalidate() == CommandSpec.InvalidateRule.DELETES);
    }
  }

  /** DEL and the like, GETEX with an option. A declined SET NX changed nothing. */
  private boolean invalidates() {
    return switch (spec.invalidate()) {
      case NEVER -> false;
      case INVALIDATES, DELETES -> true;
      case WITH_OPTIONS -> optionExpiry;
    };
  }

  /**
   * The command failed (error reply, exception, connection lost): counted as failed, and a write or
   * invalidation may still have been applied — its keys are invalidated.
   */
  private void failed(ThreadRecorder recorder) {
    recorder.error();
    if (spec.write() != CommandSpec.WriteRule.NEVER || invalidates()) {
      invalidateKeys(recorder, false); // it may not have deleted anything: not for a re-warm
    }
  }

  private void invalidateKeys(ThreadRecorder recorder, boolean deleted) {
    if (spec.keys() == CommandSpec.KeyLayout.EVERY_KEY) {
      recorder.unknownChange();
    }
    for (int i = 0; i < keyCount; i++) {
      recorder.invalidate(key(i), field(i), deleted);
    }
    hashChanged(recorder);
  }

  /** The snapshot keeps whole keys: a hash whose fields changed is invalidated as a key too. */
  private void hashChanged(ThreadRecorder recorder) {
    if (hashKey != null) {
      recorder.invalidate(hashKey, null, false);
    }
  }

  /** Entry {@code i}'s key: the hash's key for a hash command. */
  private byte[] key(int i) {
    return hashKey != null ? hashKey : keys[i];
  }

  /** Entry {@code i}'s field, or null for a plain key. */
  private byte[] field(int i) {
    return hashKey != null ? keys[i] : null;
  }

  private boolean written(ThreadRecorder recorder, Object reply) {
    return switch (spec.write()) {
      case NEVER -> false;
      case ALWAYS -> true;
      case IF_REPLY_ONE ->
          reply instanceof Number number && number.longValue() == 1L || Boolean.TRUE.equals(reply);
      case SET_OPTIONS -> setWrote(recorder, reply);
    };
  }

  /** SET's reply is OK or nil; with GET it is the old value, and NX/XX decide from that. */
  private boolean setWrote(ThreadRecorder recorder, Object reply) {
    if (!optionGet) {
      return reply != null;
    }
    if (keyCount > 0) {
      read(recorder, 0, reply); // SET ... GET also reads: the reply is the old value
    }
    if (optionNx) {
      return reply == null;
    }
    if (optionXx) {
      return reply != null;
    }
    return true;
  }

  private void read(ThreadRecorder recorder, int i, Object value) {
    if (value == null) {
      recorder.miss(key(i), field(i), originTag);
    } else {
      recorder.hit(key(i), field(i), originTag);
    }
  }
}
