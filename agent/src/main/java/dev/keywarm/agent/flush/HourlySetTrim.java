package dev.keywarm.agent.flush;

import dev.keywarm.agent.recording.EventKind;
import dev.keywarm.agent.recording.WindowSnapshot;
import dev.keywarm.redis.RedisError;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.MetaField;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Caps each hour's member-keyed sets in the stats Redis: {@code hits}, {@code misses}, {@code
 * writes}, {@code loads} with {@code loadus}, and {@code ttl} at {@code hourkeys} members, {@code
 * pairs} at {@code hourpairs}. A window's keys are bounded by {@code maxkeys}, but an hour adds up
 * its windows: without a cap the long tail of a key explosion grows the stats Redis by ~1.2 MB/s.
 *
 * <p><b>Algorithm.</b> After writing a window, the flusher sends one script per set the window
 * wrote to. The script is a no-op ({@code ZCARD}, O(1)) unless the set holds more than {@code cap +
 * cap/10} members; then it starts a <i>trim</i>: it removes members down to {@code cap} and adds
 * their summed scores and their number to the hour's meta ({@link MetaField#TRIMMED_HITS}, {@link
 * MetaField#TRIMMED_HITS_MEMBERS}, ...). The 10 % slack amortizes the trim: one trim per tenth of
 * the cap of new members, not one per flush. <b>Every script call is bounded</b>: it removes at
 * most {@value #LOWEST_PER_CALL} members ({@code ttl}: examines at most {@value #TTL_SLICE}), so a
 * trim is a sequence of calls, sent one after the other on the flusher thread; a call continuing a
 * trim works down to {@code cap} without waiting for the slack again. Each call runs atomically and
 * counts exactly what its own {@code ZREM}/{@code ZREMRANGEBYRANK} removed, so instances of a fleet
 * trimming the same hour at once never count a removal twice: what one call removed is no longer
 * there for the next, whoever sends it, and a call that finds the set at its cap does nothing. A
 * trim that fails half-way loses nothing: what was removed is counted, the rest is trimmed after a
 * later flush.
 *
 * <p><b>Which members go.</b> Counts are trimmed lowest score first ({@code ZREMRANGEBYRANK 0 ..},
 * in pages of {@value #PAGE}); ties at the cut go in member order. {@code loadus} loses exactly the
 * members {@code loads} loses, so a kept key's mean load time stays exact. A TTL is no count, so
 * {@code ttl} is ranked by the key's reads in the hour ({@code hits} + {@code misses}, after their
 * own trims), one slice of {@value #TTL_SLICE} members (by rank) per call, the flusher's cursor
 * moving on through the set: a member of the slice may go only if it is certainly not among the
 * hour's {@code cap} most-read keys — its reads are at most the larger of the {@code cap}-th score
 * of {@code hits} and of {@code misses} (an O(log n) look-up), so at least {@code cap} keys of the
 * hour are read at least as often. Of those, the slice loses the least read first (keys no longer
 * read at all before any read one), and never more than the set holds above its cap.
 *
 * <p><b>Why this is safe for the plan.</b> The analyzer warms the top N keys by reads (10 000 by
 * default, below the default cap of 2 × {@code maxkeys} = 200 000). A member that stays keeps its
 * exact count: a trim never changes a score, it removes whole members, and only those below the
 * cap's rank, so the hour's hottest {@code cap} members are never trimmed, and neither are the TTLs
 * of the hour's {@code cap} most-read keys (ties at the cut aside). A removed member had at most
 * the score of the cap-th member at that moment — the far tail that the plan never takes. A key
 * trimmed and read again later in the hour starts again from zero; its earlier count is in {@code
 * trimmed_*}, so every set's scores plus its {@code trimmed_*} still add up to what the agent
 * wrote, and the report shows the trimmed share beside {@code dropped_*} and {@code unwritten_*}.
 *
 * <p><b>Bounds.</b> A flush sends each set's trim up to a call budget ({@link #lowestCalls}, {@link
 * #ttlCalls}) that covers the slack and the window just written ({@code ttl}: two passes over the
 * whole set), so at rest each set holds at most {@code cap + cap/10} members; while windows are
 * written, up to one more window's new members ({@code maxkeys} or {@code maxpairs}) per instance
 * writing into the hour, and for a trim cut short (a budget spent, an error, the JVM exiting) one
 * more window per flush until a later flush completes it. Until a pass over {@code ttl} has counted
 * its own cut, {@code ttl} keeps, besides, every key read more often than the {@code cap}-th member
 * of both {@code hits} and {@code misses} (never more than those two sets hold); after, beyond the
 * cap, only keys within 1/16 of the cut when it is above {@value #EXACT} reads (below, the cut is
 * exact). <b>Cost</b> in the stats Redis: one call removes at most {@value #LOWEST_PER_CALL}
 * members, O(r log n), or ranks {@value #TTL_SLICE}, O(s log n) — under 50 ms each on a 2-core
 * machine (measured: see README); the calls of a flush add up to the order of the window's own
 * {@code ZINCRBY}s that made them necessary. On the JVM side, a few round trips per flush on the
 * flusher thread; nothing on the request path.
 */
final class HourlySetTrim {

  /** Members read and removed per page inside a script: bounds the script's own memory. */
  static final int PAGE = 1000;

  /** Members one {@link #TRIM_LOWEST} call removes at most: bounds the call's time. */
  static final int LOWEST_PER_CALL = 5_000;

  /** A member of {@code loads} costs this many of a set without companion to remove. */
  static final int COMPANION_COST = 4;

  /** Members of {@code ttl} one {@link #TRIM_LEAST_READ} call ranks at most. */
  static final int TTL_SLICE = 2_500;

  /** At most this many calls per set and flush (a flush's trim stays bounded too). */
  static final int MAX_CALLS = 256;

  /** A call's reply {@code {removed, next, ..}}: {@code next} is this when the trim is complete. */
  static final long DONE = -1;

  /** Reads below this each have their own bucket (the cut of a key explosion's tail is exact). */
  static final int EXACT = 1024;

  /** Then 16 buckets per power of two: a cut above {@link #EXACT} is within 1/16. */
  static final int BUCKETS = EXACT + 16 * 54;

  /** The bucket of a number of reads: exact below {@link #EXACT}, then within 1/16 of it. */
  static int bucket(long reads) {
    if (reads < EXACT) {
      return (int) Math.max(0, reads);
    }
    int log = 63 - Long.numberOfLeadingZeros(reads); // >= 10
    int mantissa = (int) ((reads >>> (log - 4)) & 15);
    return Math.min(BUCKETS - 1, EXACT + 16 * (log - 10) + mantissa);
  }

  /** The least number of reads in a bucket. */
  static long bucketFloor(int bucket) {
    if (bucket < EXACT) {
      return bucket;
    }
    int log = 10 + (bucket - EXACT) / 16;
    return (16L + (bucket - EXACT) % 16) << (log - 4);
  }

  /** The largest number of reads that at least {@code cap} of a pass's members reach. */
  static long passCut(long[] pass, int cap) {
    long reached = 0;
    for (int b = pass.length - 1; b >= 0; b--) {
      reached += pass[b];
      if (reached >= cap) {
        return bucketFloor(b);
      }
    }
    return 0;
  }

  /**
   * KEYS[1] set, KEYS[2] meta, KEYS[3] optional companion set that loses the same members; ARGV[1]
   * cap, ARGV[2] trim only above this, ARGV[3] meta field for the summed scores, ARGV[4] for the
   * members removed, ARGV[5] members removed at most, ARGV[6] for the companion's summed scores.
   * Returns {@code {removed, 0}} when more is to remove, {@code {removed, -1}} when the set is at
   * its cap (or was within the threshold).
   */
  static final String TRIM_LOWEST =
      "local n = redis.call('zcard', KEYS[1]) "
          + "if n <= tonumber(ARGV[2]) then return {0, -1} end "
          + "local cut = math.min(n - tonumber(ARGV[1]), tonumber(ARGV[5])) "
          + "local sum, also, left = 0, 0, cut "
          + "while left > 0 do "
          + "  local take = math.min(left, "
          + PAGE
          + ") "
          + "  local page = redis.call('zrange', KEYS[1], 0, take - 1, 'WITHSCORES') "
          + "  local members = {} "
          + "  for i = 1, #page, 2 do "
          + "    sum = sum + tonumber(page[i + 1]) "
          + "    members[#members + 1] = page[i] "
          + "    if KEYS[3] then "
          + "      local s = redis.call('zscore', KEYS[3], page[i]) "
          + "      if s then also = also + tonumber(s) end "
          + "    end "
          + "  end "
          + "  if KEYS[3] then redis.call('zrem', KEYS[3], unpack(members)) end "
          + "  redis.call('zremrangebyrank', KEYS[1], 0, take - 1) "
          + "  left = left - take "
          + "end "
          + "redis.call('hincrby', KEYS[2], ARGV[3], string.format('%d', sum)) "
          + "redis.call('hincrby', KEYS[2], ARGV[4], cut) "
          + "if KEYS[3] then redis.call('hincrby', KEYS[2], ARGV[6], string.format('%d', also)) end "
          + "if n - cut > tonumber(ARGV[1]) then return {cut, 0} end "
          + "return {cut, -1}";

  /**
   * KEYS[1] ttl, KEYS[2] hits, KEYS[3] misses, KEYS[4] meta; ARGV[1] cap, ARGV[2] trim only above
   * this, ARGV[3] meta field for the members removed, ARGV[4] first rank of the slice (from 0 again
   * past the end), ARGV[5] slice size, ARGV[6] a cut that at least cap members of the set were
   * found to reach (from the caller's last complete pass; 0: none). The cut is the largest of that,
   * the cap-th score of hits and the cap-th of misses (0 for a read set smaller than the cap): a
   * member read at most that often is outread, or tied, by at least cap keys of the hour. Of the
   * slice's members at or below the cut, removes the least read first (ties in member order), no
   * more than the set holds above its cap. Returns {@code {removed, -1, 0}} once the set is at its
   * cap; else {@code {removed, rank of the next slice, flags, reads, members, reads, members ...}}:
   * flag 2 the slice began the set (a new pass), flag 1 it ended it (the pass is complete), then
   * how many members of the slice above the cut had each number of reads. Memory: one slice.
   */
  static final String TRIM_LEAST_READ =
      "local n = redis.call('zcard', KEYS[1]) "
          + "if n <= tonumber(ARGV[2]) then return {0, -1, 0} end "
          + "local cap = tonumber(ARGV[1]) "
          + "local from, pass = tonumber(ARGV[4]), 0 "
          + "if from >= n then from = 0 end "
          + "if from == 0 then pass = 2 end "
          + "local cut = tonumber(ARGV[6]) "
          + "for k = 2, 3 do "
          + "  local at = redis.call('zrevrange', KEYS[k], cap - 1, cap - 1, 'WITHSCORES') "
          + "  if at[2] then cut = math.max(cut, tonumber(at[2])) end "
          + "end "
          + "local page = redis.call('zrange', KEYS[1], from, from + tonumber(ARGV[5]) - 1) "
          + "local low, lows, above = {}, {}, {} "
          + "for i = 1, #page do "
          + "  local r = tonumber(redis.call('zscore', KEYS[2], page[i]) or 0) "
          + "      + tonumber(redis.call('zscore', KEYS[3], page[i]) or 0) "
          + "  if r <= cut then "
          + "    if not low[r] then low[r] = {} lows[#lows + 1] = r end "
          + "    local l = low[r] l[#l + 1] = page[i] "
          + "  else above[r] = (above[r] or 0) + 1 end "
          + "end "
          + "table.sort(lows) "
          + "local room, removed = n - cap, 0 "
          + "for _, r in ipairs(lows) do "
          + "  local l = low[r] "
          + "  if #l > room - removed then table.sort(l) end "
          + "  local take = math.min(#l, room - removed) "
          + "  for first = 1, take, "
          + PAGE
          + " do "
          + "    removed = removed + redis.call('zrem', KEYS[1], "
          + "        unpack(l, first, math.min(take, first + "
          + (PAGE - 1)
          + "))) "
          + "  end "
          + "  if removed >= room then break end "
          + "end "
          + "if removed > 0 then redis.call('hincrby', KEYS[4], ARGV[3], removed) end "
          + "if n - removed <= cap then return {removed, -1, 0} end "
          + "local next = from + #page - removed "
          + "if next >= n - removed then next, pass = 0, pass + 1 end "
          + "local reply = {removed, next, pass} "
          + "for r, c in pairs(above) do "
          + "  reply[#reply + 1] = string.format('%d', r) reply[#reply + 1] = c "
          + "end "
          + "return reply";

  /**
   * The scripts as sent: encoded once and, once the stats Redis has named their SHA-1 ({@code
   * SCRIPT LOAD}, one round trip per JVM), called by it ({@code EVALSHA}), so a flush neither
   * re-encodes nor re-sends their text. A server that no longer has one cached ({@code NOSCRIPT}: a
   * restart, {@code SCRIPT FLUSH}, another cluster node) gets that call again as {@code EVAL},
   * which caches it; a server that refuses {@code SCRIPT LOAD} gets {@code EVAL} always. The SHA-1
   * comes from Redis rather than from {@code MessageDigest}: initialising the JVM's security
   * providers costs the application's heap ~0.3 MB, once, for 40 bytes of hex.
   */
  private static final Script LOWEST = new Script(TRIM_LOWEST);

  private static final Script LEAST_READ = new Script(TRIM_LEAST_READ);

  /** A script's text as bytes and, once known, its SHA-1 in hex as {@code EVALSHA} names it. */
  private static final class Script {
    final byte[] text;
    volatile byte[] sha;
    volatile boolean refused;

    Script(String text) {
      this.text = text.getBytes(StandardCharsets.UTF_8);
    }

    boolean unknown() {
      return sha == null && !refused;
    }

    void loaded(Object reply) {
      if (reply instanceof byte[] hex && hex.length == 40) {
        sha = hex;
      } else {
        refused = true; // an ACL without SCRIPT, say: the text goes with every call
      }
    }
  }

  /** Asks for the scripts' SHA-1s the first time this JVM trims. */
  private static void loadScripts(RespConnection out) throws IOException {
    if (!LOWEST.unknown() && !LEAST_READ.unknown()) {
      return;
    }
    out.send(SCRIPT, LOAD, LOWEST.text);
    out.send(SCRIPT, LOAD, LEAST_READ.text);
    out.flush();
    LOWEST.loaded(out.read());
    LEAST_READ.loaded(out.read());
  }

  private static final byte[] SCRIPT = "SCRIPT".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVAL = "EVAL".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVALSHA = "EVALSHA".getBytes(StandardCharsets.US_ASCII);

  private final KeySchema schema;
  private final int hourKeys;
  private final int hourPairs;
  private final int lowestPerCall;
  private final int ttlSlice;

  /**
   * Where this flusher's {@code ttl} slices go on in one shard's {@code ttl} set, per hour: a rank,
   * so a hint, never a promise.
   */
  private static final class TtlCursor {
    HourBucket hour;
    long from;

    /** Of the pass in progress: members above the cut per {@link #bucket} of their reads. */
    final long[] pass = new long[BUCKETS];

    /** From the last complete pass: at least {@code cap} members were read this often or more. */
    long cut;
  }

  private final java.util.Map<Integer, TtlCursor> ttlCursors = new java.util.HashMap<>();

  /** The cursor of the trim in progress ({@link #run} sets it for the shard it trims). */
  private TtlCursor cursor;

  HourlySetTrim(KeySchema schema, int hourKeys, int hourPairs) {
    this(schema, hourKeys, hourPairs, LOWEST_PER_CALL, TTL_SLICE);
  }

  /** With other per-call bounds: tests drive a trim through many calls on small sets. */
  HourlySetTrim(KeySchema schema, int hourKeys, int hourPairs, int lowestPerCall, int ttlSlice) {
    this.schema = schema;
    this.hourKeys = hourKeys;
    this.hourPairs = hourPairs;
    this.lowestPerCall = lowestPerCall;
    this.ttlSlice = ttlSlice;
  }

  /** Members one call removes from a set with a companion ({@code loads} with {@code loadus}). */
  private int companionPerCall() {
    return Math.max(1, lowestPerCall / COMPANION_COST);
  }

  /** A set is trimmed once it holds more than this: its cap and a tenth (the amortizing slack). */
  static long trimAbove(int cap) {
    return cap + cap / 10L;
  }

  /** Calls per flush for a count set: its slack and the window's new members, and one more. */
  static int lowestCalls(int cap, int written, int perCall) {
    return (int) Math.min(MAX_CALLS, 1 + (cap / 10L + written + perCall - 1) / perCall);
  }

  /**
   * Calls per flush for {@code ttl}: two passes over the set at its bound with the window's new.
   */
  static int ttlCalls(int cap, int written, int slice) {
    return (int) Math.min(MAX_CALLS, 1 + 2 * ((trimAbove(cap) + written + slice - 1) / slice));
  }

  /** One set's trim: its script and arguments, how many calls it may take. */
  private final class Trim {
    final Script script;
    final Object[] keys;
    final int cap;
    final Object[] fields;
    final boolean ttl;
    int callsLeft;
    long next = DONE;

    /** The last call was refused for want of the script: send it again, with its text. */
    boolean unloaded;

    /** Whether the last call sent was a first one (see {@link #send}). */
    private boolean sentFirst;

    Trim(Script script, Object[] keys, int cap, Object[] fields, boolean ttl, int calls) {
      this.script = script;
      this.keys = keys;
      this.cap = cap;
      this.fields = fields;
      this.ttl = ttl;
      this.callsLeft = calls;
    }

    /** The first call waits for the slack; a call continuing the trim goes on down to the cap. */
    void send(RespConnection out, boolean first) {
      send(out, first, false);
    }

    /** The last call again, with the script's text: the server did not have it cached. */
    void resend(RespConnection out) {
      unloaded = false;
      callsLeft++; // the refused call ran nothing
      send(out, sentFirst, true);
    }

    private void send(RespConnection out, boolean first, boolean withText) {
      sentFirst = first;
      Object[] arguments = new Object[3 + keys.length + 2 + fields.length + 3];
      int a = 0;
      byte[] sha = script.sha;
      arguments[a++] = withText || sha == null ? EVAL : EVALSHA;
      arguments[a++] = withText || sha == null ? script.text : sha;
      arguments[a++] = keys.length;
      for (Object key : keys) {
        arguments[a++] = key;
      }
      arguments[a++] = cap;
      arguments[a++] = first ? trimAbove(cap) : cap;
      if (ttl) {
        arguments[a++] = fields[0];
        arguments[a++] = cursor.from;
        arguments[a++] = ttlSlice;
        arguments[a++] = cursor.cut;
      } else {
        arguments[a++] = fields[0];
        arguments[a++] = fields[1];
        // a companion costs a look-up and a removal more per member
        arguments[a++] = fields.length > 2 ? companionPerCall() : lowestPerCall;
        if (fields.length > 2) {
          arguments[a++] = fields[2];
        }
      }
      out.send(Arrays.copyOf(arguments, a));
      callsLeft--;
    }

    /** Reads the call's reply; returns the members it removed. */
    long read(RespConnection in) throws IOException {
      Object reply = in.read();
      if (reply instanceof RedisError error && error.message().startsWith("NOSCRIPT")) {
        unloaded = true;
        return 0;
      }
      if (!(reply instanceof List<?> list)
          || list.size() < 2
          || !(list.get(0) instanceof Long removed)
          || !(list.get(1) instanceof Long after)) {
        next = DONE;
        throw new IOException(
            "stats Redis answered a trim with "
                + (reply instanceof RedisError error ? error.message() : String.valueOf(reply)));
      }
      next = after;
      if (ttl) {
        pass(list);
      }
      return removed;
    }

    boolean more() {
      return next != DONE && callsLeft > 0;
    }

    /** Notes where the next slice begins and the slice's reads above the cut. */
    private void pass(List<?> reply) {
      if (next == DONE) {
        cursor.from = 0;
        Arrays.fill(cursor.pass, 0);
        return;
      }
      cursor.from = next;
      long flags = reply.get(2) instanceof Long f ? f : 0;
      if ((flags & 2) != 0) {
        Arrays.fill(cursor.pass, 0);
      }
      for (int i = 3; i + 1 < reply.size(); i += 2) {
        if (reply.get(i) instanceof byte[] reads && reply.get(i + 1) instanceof Long members) {
          cursor.pass[bucket(Long.parseLong(new String(reads, StandardCharsets.US_ASCII)))] +=
              members;
        }
      }
      if ((flags & 1) != 0) {
        // counted over a whole pass: reads only grow, so the cut stays safe while the hour lasts
        cursor.cut = Math.max(cursor.cut, passCut(cursor.pass, cap));
        Arrays.fill(cursor.pass, 0);
      }
    }
  }

  /**
   * Trims each of the hour's sets this window wrote to (only those can have grown past their cap by
   * this flush; every other writer checks its own): the first call of each count set in one
   * pipeline, a trim's further calls one after the other, {@code ttl} last (it is ranked by the
   * read sets). Returns the members removed; throws on a reply that is no trim's (what was removed
   * before is counted in meta all the same).
   */
  long run(RespConnection out, WindowSnapshot window) throws IOException {
    return run(out, window, ONE_SHARD, Long.MAX_VALUE);
  }

  /**
   * The same for the sets of one shard, {@code window} holding the shard's entries only, each set
   * capped at its share of the hour's cap ({@link #shareOf}); beginning no call after {@code
   * deadlineNanos} ({@link System#nanoTime()}).
   */
  long run(RespConnection out, WindowSnapshot window, KeySchema.Shard shard, long deadlineNanos)
      throws IOException {
    if (shard == ONE_SHARD) {
      shard = schema.shard(schema.shards(1), 0);
    }
    int hourKeys = shareOf(this.hourKeys, shard.count());
    int hourPairs = shareOf(this.hourPairs, shard.count());
    int hits = 0;
    int misses = 0;
    int writes = 0;
    int loads = 0;
    int ttls = 0;
    for (int i = 0; i < window.size(); i++) {
      hits += window.hits()[i] > 0 ? 1 : 0;
      misses += window.misses()[i] > 0 ? 1 : 0;
      writes += window.writes()[i] > 0 ? 1 : 0;
      loads += window.loads()[i] > 0 ? 1 : 0;
      ttls += window.ttls()[i] != EventKind.TTL_UNKNOWN ? 1 : 0;
    }
    loadScripts(out);
    HourBucket hour = window.hour();
    String meta = schema.meta(hour, shard);
    List<Trim> counts = new ArrayList<>();
    if (hits > 0) {
      counts.add(lowest(hour, shard, hourKeys, HourlySet.HITS, MetaField.TRIMMED_HITS, hits));
    }
    if (misses > 0) {
      counts.add(lowest(hour, shard, hourKeys, HourlySet.MISSES, MetaField.TRIMMED_MISSES, misses));
    }
    if (writes > 0) {
      counts.add(lowest(hour, shard, hourKeys, HourlySet.WRITES, MetaField.TRIMMED_WRITES, writes));
    }
    if (loads > 0) {
      counts.add(
          new Trim(
              LOWEST,
              new Object[] {
                schema.hourly(hour, HourlySet.LOADS, shard),
                meta,
                schema.hourly(hour, HourlySet.LOAD_MICROS, shard)
              },
              hourKeys,
              new Object[] {
                MetaField.TRIMMED_LOADS.field(),
                MetaField.TRIMMED_LOADS_MEMBERS.field(),
                MetaField.TRIMMED_LOAD_MICROS.field()
              },
              false,
              lowestCalls(hourKeys, loads, companionPerCall())));
    }
    if (window.pairs().length > 0) {
      counts.add(
          new Trim(
              LOWEST,
              new Object[] {schema.pairs(hour, shard), meta},
              hourPairs,
              new Object[] {
                MetaField.TRIMMED_PAIRS.field(), MetaField.TRIMMED_PAIRS_MEMBERS.field()
              },
              false,
              lowestCalls(hourPairs, window.pairs().length, lowestPerCall)));
    }
    long removed = 0;
    for (Trim trim : counts) {
      trim.send(out, true);
    }
    out.flush();
    for (Trim trim : counts) {
      removed += trim.read(out);
    }
    for (Trim trim : counts) {
      removed += loaded(out, trim);
      removed += finish(out, trim, deadlineNanos);
    }
    if (ttls > 0 && !past(deadlineNanos)) {
      cursor = ttlCursors.computeIfAbsent(shard.index(), i -> new TtlCursor());
      if (!hour.equals(cursor.hour)) {
        cursor.hour = hour;
        cursor.from = 0;
        cursor.cut = 0;
        Arrays.fill(cursor.pass, 0);
      }
      Trim trim =
          new Trim(
              LEAST_READ,
              new Object[] {
                schema.ttls(hour, shard),
                schema.hourly(hour, HourlySet.HITS, shard),
                schema.hourly(hour, HourlySet.MISSES, shard),
                meta
              },
              hourKeys,
              new Object[] {MetaField.TRIMMED_TTL_MEMBERS.field()},
              true,
              ttlCalls(hourKeys, ttls, ttlSlice));
      trim.send(out, true);
      out.flush();
      removed += trim.read(out);
      removed += loaded(out, trim);
      removed += finish(out, trim, deadlineNanos);
    }
    return removed;
  }

  /** A call refused for want of its script, sent again with the text (nothing else in flight). */
  private static long loaded(RespConnection out, Trim trim) throws IOException {
    if (!trim.unloaded) {
      return 0;
    }
    trim.resend(out);
    out.flush();
    long removed = trim.read(out);
    if (trim.unloaded) {
      trim.next = DONE;
      throw new IOException("stats Redis refused a trim script sent with its text");
    }
    return removed;
  }

  /** A trim's further calls, one at a time: each runs alone, another client's between them. */
  private static long finish(RespConnection out, Trim trim, long deadlineNanos) throws IOException {
    long removed = 0;
    while (trim.more() && !past(deadlineNanos)) {
      trim.send(out, false);
      out.flush();
      removed += trim.read(out);
      removed += loaded(out, trim);
    }
    return removed;
  }

  private static boolean past(long deadlineNanos) {
    return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0;
  }

  /**
   * A shard's share of an hour's cap: keys spread evenly over shards by hash, so each shard's
   * {@code cap / count} (rounded up) hottest together are the hour's hottest {@code cap} within the
   * hash's spread; one shard keeps the whole cap.
   */
  static int shareOf(int cap, int shards) {
    return (int) ((cap + (long) shards - 1) / shards);
  }

  /** Stands for the one-shard layout in {@link #run(RespConnection, WindowSnapshot)}. */
  private static final KeySchema.Shard ONE_SHARD = new KeySchema.Shard(1, 0, "");

  private Trim lowest(
      HourBucket hour,
      KeySchema.Shard shard,
      int hourKeys,
      HourlySet set,
      MetaField summed,
      int written) {
    return new Trim(
        LOWEST,
        new Object[] {schema.hourly(hour, set, shard), schema.meta(hour, shard)},
        hourKeys,
        new Object[] {summed.field(), members(summed).field()},
        false,
        lowestCalls(hourKeys, written, lowestPerCall));
  }

  private static MetaField members(MetaField summed) {
    return switch (summed) {
      case TRIMMED_HITS -> MetaField.TRIMMED_HITS_MEMBERS;
      case TRIMMED_MISSES -> MetaField.TRIMMED_MISSES_MEMBERS;
      case TRIMMED_WRITES -> MetaField.TRIMMED_WRITES_MEMBERS;
      default -> throw new IllegalArgumentException(summed.name());
    };
  }
}
