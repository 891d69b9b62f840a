package dev.keywarm.agent.recording;

import static dev.keywarm.agent.recording.CommandSpec.InvalidateRule.DELETES;
import static dev.keywarm.agent.recording.CommandSpec.InvalidateRule.INVALIDATES;
import static dev.keywarm.agent.recording.CommandSpec.InvalidateRule.WITH_OPTIONS;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.ALL;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.EVERY_KEY;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.FIELD;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.FIELDS;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.FIELDS_KEYWORD;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.FIELD_VALUES;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.FIRST;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.FIRST_TWO;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.PAIRS;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.SCRIPT;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.SECOND;
import static dev.keywarm.agent.recording.CommandSpec.TtlRule.AT_MILLIS;
import static dev.keywarm.agent.recording.CommandSpec.TtlRule.AT_SECONDS;
import static dev.keywarm.agent.recording.CommandSpec.TtlRule.CLEARS;
import static dev.keywarm.agent.recording.CommandSpec.TtlRule.GETEX_OPTIONS;
import static dev.keywarm.agent.recording.CommandSpec.TtlRule.MILLIS;
import static dev.keywarm.agent.recording.CommandSpec.TtlRule.PERSIST;
import static dev.keywarm.agent.recording.CommandSpec.TtlRule.SECONDS;
import static dev.keywarm.agent.recording.CommandSpec.WriteRule.ALWAYS;
import static dev.keywarm.agent.recording.CommandSpec.WriteRule.IF_REPLY_ONE;
import static dev.keywarm.agent.recording.CommandSpec.WriteRule.NEVER;
import static dev.keywarm.agent.recording.CommandSpec.WriteRule.SET_OPTIONS;

/**
 * The commands keywarm records, as data. A hook hands over the command's name bytes; anything not
 * listed here is ignored at the cost of a few byte compares.
 *
 * <p>GETEX and GETDEL are reads (they return the value); GETSET and {@code SET ... GET} are both a
 * read of the old value and a write. DEL, UNLINK, the EXPIRE family, PERSIST and GETDEL (and a
 * GETEX with an option) are recorded only as invalidations, for the hot-set snapshot.
 *
 * <p>Hash commands count per field, each (key, field) one entry: HGET, HMGET, HGETDEL and HGETEX
 * read, HSET, HMSET and HSETNX write, HDEL and HGETDEL delete fields. The snapshot keeps whole
 * keys, so any of them that may change the hash also invalidates its key.
 */
public final class CommandTable {

  private static final CommandSpec[] SPECS = {
    new CommandSpec("GET", FIRST, true, NEVER),
    new CommandSpec("SET", FIRST, false, SET_OPTIONS, CommandSpec.TtlRule.SET_OPTIONS),
    new CommandSpec("SETEX", FIRST, false, ALWAYS, SECONDS),
    new CommandSpec("PSETEX", FIRST, false, ALWAYS, MILLIS),
    new CommandSpec("SETNX", FIRST, false, IF_REPLY_ONE, CLEARS),
    new CommandSpec("GETEX", FIRST, true, NEVER, WITH_OPTIONS, GETEX_OPTIONS),
    new CommandSpec("GETDEL", FIRST, true, NEVER, DELETES, CommandSpec.TtlRule.NONE),
    new CommandSpec("GETSET", FIRST, true, ALWAYS, CLEARS),
    new CommandSpec("MGET", ALL, true, NEVER),
    new CommandSpec("MSET", PAIRS, false, ALWAYS, CLEARS),
    new CommandSpec("MSETNX", PAIRS, false, IF_REPLY_ONE, CLEARS),
    new CommandSpec("DEL", ALL, false, NEVER, DELETES, CommandSpec.TtlRule.NONE),
    new CommandSpec("UNLINK", ALL, false, NEVER, DELETES, CommandSpec.TtlRule.NONE),
    new CommandSpec("EXPIRE", FIRST, false, NEVER, INVALIDATES, SECONDS),
    new CommandSpec("PEXPIRE", FIRST, false, NEVER, INVALIDATES, MILLIS),
    new CommandSpec("EXPIREAT", FIRST, false, NEVER, INVALIDATES, AT_SECONDS),
    new CommandSpec("PEXPIREAT", FIRST, false, NEVER, INVALIDATES, AT_MILLIS),
    new CommandSpec("PERSIST", FIRST, false, NEVER, INVALIDATES, PERSIST),
    new CommandSpec("HGET", FIELD, true, NEVER),
    new CommandSpec("HMGET", FIELDS, true, NEVER),
    new CommandSpec("HSET", FIELD_VALUES, false, ALWAYS),
    new CommandSpec("HMSET", FIELD_VALUES, false, ALWAYS),
    new CommandSpec("HSETNX", FIELD_VALUES, false, IF_REPLY_ONE),
    new CommandSpec("HDEL", FIELDS, false, NEVER, DELETES, CommandSpec.TtlRule.NONE),
    // Redis 8: HGETDEL key FIELDS n f..., HGETEX key [EX s|PX ms|EXAT|PXAT|PERSIST] FIELDS n f...
    new CommandSpec("HGETDEL", FIELDS_KEYWORD, true, NEVER, DELETES, CommandSpec.TtlRule.NONE),
    new CommandSpec("HGETEX", FIELDS_KEYWORD, true, NEVER, WITH_OPTIONS, CommandSpec.TtlRule.NONE),
  };

  /**
   * With the snapshot on, a command keywarm does not record may still change a key the snapshot
   * holds (INCR, APPEND, HINCRBY, RENAME...): every command not known to leave keys alone
   * invalidates its keys — argument 1 unless listed otherwise; a script its declared keys;
   * FLUSHALL, FLUSHDB and SWAPDB every key. Read-only and connection commands are listed here and
   * change nothing.
   */
  private static final CommandSpec MAY_WRITE_FIRST =
      new CommandSpec("*", FIRST, false, NEVER, INVALIDATES, CommandSpec.TtlRule.NONE);

  private static final CommandSpec MAY_WRITE_FIRST_TWO =
      new CommandSpec("*", FIRST_TWO, false, NEVER, INVALIDATES, CommandSpec.TtlRule.NONE);

  private static final CommandSpec MAY_WRITE_SECOND =
      new CommandSpec("*", SECOND, false, NEVER, INVALIDATES, CommandSpec.TtlRule.NONE);

  private static final CommandSpec MAY_WRITE_SCRIPT_KEYS =
      new CommandSpec("*", SCRIPT, false, NEVER, INVALIDATES, CommandSpec.TtlRule.NONE);

  static final CommandSpec MAY_WRITE_EVERY_KEY =
      new CommandSpec("*", EVERY_KEY, false, NEVER, INVALIDATES, CommandSpec.TtlRule.NONE);

  private static final NameSet LEAVES_KEYS_ALONE =
      new NameSet(
          "EXISTS TYPE TTL PTTL EXPIRETIME PEXPIRETIME STRLEN GETRANGE SUBSTR LCS HGETALL"
              + " HKEYS HVALS HLEN HEXISTS HSTRLEN HRANDFIELD HSCAN LRANGE LINDEX LLEN LPOS"
              + " SMEMBERS SISMEMBER SMISMEMBER SCARD SRANDMEMBER SSCAN SINTER SUNION SDIFF"
              + " SINTERCARD ZRANGE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX"
              + " ZREVRANGEBYLEX ZSCORE ZMSCORE ZRANK ZREVRANK ZCARD ZCOUNT ZLEXCOUNT ZSCAN"
              + " ZRANDMEMBER ZINTER ZUNION ZDIFF ZINTERCARD GETBIT BITCOUNT BITPOS BITFIELD_RO"
              + " PFCOUNT XRANGE XREVRANGE XLEN XREAD XINFO XPENDING GEOPOS GEODIST GEOHASH"
              + " GEORADIUS_RO GEORADIUSBYMEMBER_RO GEOSEARCH DUMP OBJECT MEMORY SCAN KEYS"
              + " RANDOMKEY DBSIZE TOUCH SORT_RO EVAL_RO EVALSHA_RO FCALL_RO WATCH UNWATCH PING"
              + " ECHO AUTH HELLO SELECT QUIT RESET CLIENT INFO CONFIG COMMAND TIME LASTSAVE ROLE"
              + " CLUSTER READONLY READWRITE ASKING MULTI EXEC DISCARD SUBSCRIBE PSUBSCRIBE"
              + " SSUBSCRIBE UNSUBSCRIBE PUNSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH PUBSUB"
              + " SCRIPT FUNCTION SLOWLOG LATENCY MONITOR DEBUG SAVE BGSAVE BGREWRITEAOF WAIT"
              + " WAITAOF SHUTDOWN REPLICAOF SLAVEOF SYNC PSYNC FAILOVER MODULE ACL LOLWUT"
              + " SENTINEL");

  private static final NameSet TWO_KEYS =
      new NameSet(
          "RENAME RENAMENX COPY SMOVE LMOVE BLMOVE RPOPLPUSH BRPOPLPUSH GEOSEARCHSTORE"
              + " ZRANGESTORE");

  private static final NameSet SECOND_KEY = new NameSet("BITOP");

  private static final NameSet SCRIPTS = new NameSet("EVAL EVALSHA FCALL");

  private static final NameSet EVERY_KEY_COMMANDS = new NameSet("FLUSHALL FLUSHDB SWAPDB");

  private CommandTable() {}

  /**
   * For a command {@link #find} does not know, with the snapshot on: how it may change keys, or
   * null if it leaves them alone. Allocation-free.
   */
  public static CommandSpec mayWrite(byte[] command) {
    if (command == null || command.length == 0 || command.length > 32) {
      return null;
    }
    if (LEAVES_KEYS_ALONE.contains(command)) {
      return null;
    }
    if (TWO_KEYS.contains(command)) {
      return MAY_WRITE_FIRST_TWO;
    }
    if (SECOND_KEY.contains(command)) {
      return MAY_WRITE_SECOND;
    }
    if (SCRIPTS.contains(command)) {
      return MAY_WRITE_SCRIPT_KEYS;
    }
    if (EVERY_KEY_COMMANDS.contains(command)) {
      return MAY_WRITE_EVERY_KEY;
    }
    return MAY_WRITE_FIRST;
  }

  /** A fixed set of upper-case command names, looked up by a hash of the bytes: no allocation. */
  private static final class NameSet {
    private final byte[][] slots;

    NameSet(String names) {
      String[] all = names.trim().split("\\s+");
      slots = new byte[Integer.highestOneBit(all.length * 4) * 2][];
      for (String name : all) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int i = hash(bytes) & (slots.length - 1);
        while (slots[i] != null) {
          i = (i + 1) & (slots.length - 1);
        }
        slots[i] = bytes;
      }
    }

    boolean contains(byte[] command) {
      for (int i = hash(command) & (slots.length - 1);
          slots[i] != null;
          i = (i + 1) & (slots.length - 1)) {
        if (CommandSpec.isNamed(command, slots[i])) {
          return true;
        }
      }
      return false;
    }

    /** Case-insensitive for ASCII letters, as {@link CommandSpec#isNamed}. */
    private static int hash(byte[] name) {
      int h = 0;
      for (byte b : name) {
        h = 31 * h + (b & 0xDF);
      }
      return h ^ (h >>> 16);
    }
  }

  /** The spec for a command name (case-insensitive), or null if keywarm does not record it. */
  public static CommandSpec find(byte[] command) {
    if (command == null || command.length < 3 || command.length > 9) {
      return null;
    }
    for (CommandSpec spec : SPECS) {
      if (spec.matches(command)) {
        return spec;
      }
    }
    return null;
  }
}
