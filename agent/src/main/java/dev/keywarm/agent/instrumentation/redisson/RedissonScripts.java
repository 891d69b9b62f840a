package dev.keywarm.agent.instrumentation.redisson;

import dev.keywarm.agent.recording.CallRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lua scripts Redisson runs for cache operations, recorded as the command each stands for:
 *
 * <ul>
 *   <li>{@code RMapCache.get} (and {@code getWithTTLOnly}): {@code local value = redis.call('hget',
 *       KEYS[1], ARGV[2]); if value == false then return nil; end; ...} with no {@code hset} or
 *       {@code hdel} (which {@code remove} and {@code replace}, sharing that opening, have) — an
 *       HGET of field ARGV[2]: the value, or nil when absent or expired;
 *   <li>{@code RMapCache.put}: {@code local v = redis.call('hget', KEYS[1], ARGV[2]);local exists =
 *       false;...redis.call('hset', KEYS[1], ARGV[2], value);...} — an HSET of ARGV[2];
 *   <li>{@code RMap.put}: {@code hget} then {@code hset} of ARGV[1] — an HSET; {@code
 *       RMap.putIfAbsent}: {@code hsetnx} of ARGV[1], nil if it wrote — an HSETNX;
 *   <li>{@code RBucket.getAndDelete} and {@code getAndSet(null)}: {@code get} then {@code del} of
 *       KEYS[1] — a GETDEL.
 * </ul>
 *
 * Recognised by their full text, the same in 3.17 and 3.50: from the {@code EVAL} itself, or — for
 * an {@code EVALSHA}, which carries only the hash — from {@code calcSHA}, which sees the text once
 * and leaves its meaning here under the hash. Any other script is an ordinary {@code EVAL} (its
 * declared keys invalidated for the snapshot). At most {@value #MAX_REMEMBERED} scripts are
 * remembered, the meaningless ones too, so each text is judged once.
 */
public final class RedissonScripts {

  static final int MAX_REMEMBERED = 4096;

  /** What a reply of the script means for the command it stands for. */
  private enum Reply {
    AS_IS,
    /** {@code putIfAbsent}: nil means it wrote (HSETNX's 1), a value that it did not. */
    NIL_WROTE
  }

  /**
   * A script as a command: {@code KEYS[key]} its argument 1 and, if {@code argv > 0}, {@code
   * ARGV[argv]} its argument 2.
   */
  record Rule(byte[] command, int key, int argv, Reply reply) {

    void feed(CallRecord call, Object[] params) throws Throwable {
      int keys = ((Number) params[1]).intValue();
      if (key > keys || params.length < 2 + keys + argv) {
        return; // not the shape this rule knows: no key, nothing recorded
      }
      call.argument(1, RedissonParams.entryBytes(params[1 + key]));
      if (argv > 0) {
        call.argument(2, RedissonParams.entryBytes(params[1 + keys + argv]));
      }
    }

    Object reply(Object result) {
      return reply == Reply.NIL_WROTE ? (result == null ? 1L : 0L) : result;
    }
  }

  /** Remembered "not a cache operation". */
  private static final Rule NONE = new Rule(new byte[0], 0, 0, Reply.AS_IS);

  private static final Map<String, Rule> KNOWN = new ConcurrentHashMap<>();

  private static final String MAP_CACHE_GET =
      "local value = redis.call('hget', KEYS[1], ARGV[2]); if value == false then return nil; end;"
          + " local t, val = struct.unpack('dLc0', value); ";
  private static final String MAP_CACHE_PUT =
      "local v = redis.call('hget', KEYS[1], ARGV[2]);local exists = false;";
  private static final String MAP_CACHE_PUT_WRITE = "redis.call('hset', KEYS[1], ARGV[2], value);";
  private static final String MAP_PUT =
      "local v = redis.call('hget', KEYS[1], ARGV[1]); redis.call('hset', KEYS[1], ARGV[1],"
          + " ARGV[2]); return v";
  private static final String MAP_PUT_IF_ABSENT =
      "if redis.call('hsetnx', KEYS[1], ARGV[1], ARGV[2]) == 1 then return nil else return"
          + " redis.call('hget', KEYS[1], ARGV[1]) end";
  private static final String BUCKET_GET_AND_DELETE =
      "local currValue = redis.call('get', KEYS[1]); redis.call('del', KEYS[1]); return currValue; ";
  private static final String BUCKET_GET_AND_CLEAR =
      "local v = redis.call('get', KEYS[1]); redis.call('del', KEYS[1]); return v";

  private RedissonScripts() {}

  /** The rule for a command, or null if it is not a script keywarm reads as another command. */
  static Rule rule(String name, Object[] params) {
    if (!name.startsWith("EVAL") || params.length < 2 || !(params[0] instanceof String text)) {
      return null;
    }
    Rule rule = KNOWN.get(text);
    if (rule == null) {
      if (name.startsWith("EVALSHA")) {
        return null; // a hash calcSHA did not see: not ours to guess
      }
      rule = classify(text);
      remember(text, rule);
    }
    return rule == NONE ? null : rule;
  }

  /** {@code calcSHA(script)} returned {@code sha}. From advice; never throws. */
  public static void hashed(String script, String sha) {
    try {
      if (script != null && sha != null && !KNOWN.containsKey(sha)) {
        remember(sha, classify(script));
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  private static void remember(String text, Rule rule) {
    if (KNOWN.size() < MAX_REMEMBERED) {
      KNOWN.put(text, rule);
    }
  }

  static Rule classify(String script) {
    if (script.startsWith(MAP_CACHE_GET)
        && !script.contains("'hset'")
        && !script.contains("'hdel'")) {
      return rule("HGET", 1, 2, Reply.AS_IS);
    }
    if (script.startsWith(MAP_CACHE_PUT) && script.contains(MAP_CACHE_PUT_WRITE)) {
      return rule("HSET", 1, 2, Reply.AS_IS);
    }
    if (script.equals(MAP_PUT)) {
      return rule("HSET", 1, 1, Reply.AS_IS);
    }
    if (script.equals(MAP_PUT_IF_ABSENT)) {
      return rule("HSETNX", 1, 1, Reply.NIL_WROTE);
    }
    if (script.equals(BUCKET_GET_AND_DELETE) || script.equals(BUCKET_GET_AND_CLEAR)) {
      return rule("GETDEL", 1, 0, Reply.AS_IS);
    }
    return NONE;
  }

  private static Rule rule(String command, int key, int argv, Reply reply) {
    return new Rule(command.getBytes(StandardCharsets.US_ASCII), key, argv, reply);
  }
}
