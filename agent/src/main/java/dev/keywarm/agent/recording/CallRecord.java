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
 */
public final class CallRecord {

  private static final byte[][] NO_KEYS = new byte[0][];

  private final ThreadRecorder owner;
  private CommandSpec spec;
  private byte[][] keys;
  private int keyCount;
  private boolean optionGet;
  private boolean optionNx;
  private boolean optionXx;
  private boolean optionExpiry;
  private long originTag;

  CallRecord(ThreadRecorder owner) {
    this.owner = owner;
    this.keys = new byte[4][];
  }

  private CallRecord(CallRecord source) {
    this.owner = null;
    this.spec = source.spec;
    this.keys = source.keyCount == 0 ? NO_KEYS : Arrays.copyOf(source.keys, source.keyCount);
    this.keyCount = source.keyCount;
    this.optionGet = source.optionGet;
    this.optionNx = source.optionNx;
    this.optionXx = source.optionXx;
    this.optionExpiry = source.optionExpiry;
    this.originTag = source.originTag;
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
        return null;
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
    optionGet = false;
    optionNx = false;
    optionXx = false;
    optionExpiry = false;
    originTag = owner == null ? originTag : owner.tag();
  }

  /** Argument {@code index} (1 = first after the command name) of the command being recorded. */
  public void argument(int index, byte[] value) {
    if (value == null) {
      return;
    }
    if (spec.isKeyArgument(index)) {
      if (keyCount == keys.length) {
        keys = Arrays.copyOf(keys, keyCount * 2);
      }
      // A key longer than a stored member is reduced to one here, before anything holds it: the
      // agent then never keeps an application's huge key array alive (rings, miss table,
      // pipelines).
      keys[keyCount++] = value.length > StoredKey.MAX_BYTES ? StoredKey.member(value) : value;
    } else if (spec.isOptionArgument(index) && value.length == 3) {
      optionGet |= is(value, 'G', 'E', 'T');
    } else if (spec.isOptionArgument(index) && value.length == 2) {
      optionNx |= is(value, 'N', 'X');
      optionXx |= is(value, 'X', 'X');
    } else if (spec.isExpiryOption(index)) {
      optionExpiry = true;
    }
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

  /** MGET-like: one reply value per key. A client that streams values reports them one by one. */
  public boolean readsEachKey() {
    return spec.reads() && spec.keys() == CommandSpec.KeyLayout.ALL;
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
      if (spec.keys() == CommandSpec.KeyLayout.ALL) {
        if (!(reply instanceof List<?> values)) {
          return;
        }
        int count = Math.min(keyCount, values.size());
        for (int i = 0; i < count; i++) {
          read(recorder, keys[i], values.get(i));
        }
      } else if (keyCount > 0) {
        read(recorder, keys[0], reply);
      }
    }
    if (written(recorder, reply)) {
      for (int i = 0; i < keyCount; i++) {
        recorder.write(keys[i]);
      }
    } else if (invalidates()) {
      invalidateKeys(recorder);
    }
  }

  /** DEL and the like, GETEX with an option. A declined SET NX changed nothing. */
  private boolean invalidates() {
    return switch (spec.invalidate()) {
      case NEVER -> false;
      case INVALIDATES -> true;
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
      invalidateKeys(recorder);
    }
  }

  private void invalidateKeys(ThreadRecorder recorder) {
    for (int i = 0; i < keyCount; i++) {
      recorder.invalidate(keys[i]);
    }
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
      read(recorder, keys[0], reply); // SET ... GET also reads: the reply is the old value
    }
    if (optionNx) {
      return reply == null;
    }
    if (optionXx) {
      return reply != null;
    }
    return true;
  }

  private void read(ThreadRecorder recorder, byte[] key, Object value) {
    if (value == null) {
      recorder.miss(key, originTag);
    } else {
      recorder.hit(key, originTag);
    }
  }
}
