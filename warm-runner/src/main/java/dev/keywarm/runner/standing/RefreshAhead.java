package dev.keywarm.runner.standing;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.engine.TtlChoice;
import dev.keywarm.runner.loading.HttpTemplateLoader;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.schema.FieldMember;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * {@code refresh-ahead}, the one technique that overwrites: every {@code refreshcheck}, the
 * remaining TTLs ({@code PTTL}, pipelined) of the current order's top {@code refreshkeys} keys that
 * have an observed TTL — the application's own for the key, else the plan's; never a configured or
 * default one — are read. A key is due when its remaining TTL is below {@code refreshbelow} × its
 * observed TTL (the threshold) plus {@value #MARGIN_MILLIS} ms (the scheduler's resolution); from
 * each read, a key not due yet is scheduled for the moment it will be ({@code now + pttl −
 * threshold − margin}, in a queue bounded by the keys watched), so a key whose refresh window is
 * shorter than {@code refreshcheck} is still refreshed in it. A due key is reloaded through its
 * loader and written with a fresh TTL ({@link TtlChoice}).
 *
 * <p>Never over an application write: before loading, {@link #FINGERPRINT} reads the key's type,
 * the SHA-1 of its value ({@code GET}) and its absolute expiry ({@code PEXPIRETIME} on Redis 7 and
 * later; before 7, {@code TIME} + {@code PTTL}, exact to about a millisecond); the write is {@link
 * #COMPARE_AND_SET}, one script, so atomic in Redis: {@code SET key value PX ttl} only if the key
 * is still a string, its value has that SHA-1 and its absolute expiry is the one read (exactly on
 * Redis 7; within {@value #EXPIRY_TOLERANCE_MILLIS} ms before 7, as the two readings of the server
 * clock may round apart). Any write by the application in between — another value, the same value
 * with any TTL of its own (longer or shorter), an {@code EXPIRE}/{@code PEXPIRE} or {@code
 * PERSIST}, a delete and a new write, another type — fails one of the checks, and the refresh is
 * dropped (counted {@code application-wrote-first}). What remains undetected is a write of the
 * identical bytes with the identical expiry (the same {@code PXAT}, {@code SET … KEEPTTL}; before
 * Redis 7, any expiry within the tolerance), which leaves the key as it was; and a SHA-1 collision
 * between two values of one key, about 2<sup>-160</sup>. Comparing the digest inside Redis keeps
 * the value itself off the wire twice more; hashing costs Redis one pass over the value, twice per
 * refresh.
 *
 * <p>Which loaders: only those built into the application ({@code KeyLoaderProvider}), whose
 * contract is to build a value from its source. An HTTP template loader is never called: it usually
 * asks the application's own endpoint, which reads through the cache — each refresh would hand back
 * the cached bytes and extend a value the application meant to expire. A copy loader (dumps) cannot
 * be compared-and-set. Both count as {@code skipped}, known before any call. A refresh whose loader
 * returned the bytes already cached counts as {@code unchanged}: normal for data that did not
 * change; a share near 100 % for data that does points at a loader that reads through the cache.
 *
 * <p>A key without a TTL in the cache, or without an observed one, is never refreshed, and a value
 * that comes back other than as bytes is not written ({@code skipped}). Bounded by {@code
 * refreshkeys} (the keys watched) and the shared {@code standingrate}; a check costs one pipelined
 * round trip of at most {@code refreshkeys} {@code PTTL}s.
 *
 * <p>Hash fields ({@code FieldMember}) are never refreshed: the compare-and-set works on a string's
 * bytes and expiry, and before Redis 7.4 a field has no expiry of its own (a fresh TTL would be the
 * whole hash's, extending every other field). Each field member met among the top keys counts as
 * {@code skipped} at each check and takes no place in the {@code refreshkeys}.
 */
final class RefreshAhead extends Technique {

  static final long EXPIRY_TOLERANCE_MILLIS = 2;

  /** Refreshed this much before the threshold: twice the scheduler's tick. */
  static final long MARGIN_MILLIS = 2 * StandingWarm.TICK_MILLIS;

  private static final String EXPIRE_AT =
      "local v7 = redis.REDIS_VERSION_NUM ~= nil and redis.REDIS_VERSION_NUM >= 0x070000 "
          + "local function expireat(k) "
          + "if v7 then return redis.call('pexpiretime', k) end "
          + "local p = redis.call('pttl', k) "
          + "if p < 0 then return p end "
          + "local t = redis.call('time') "
          + "return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + p "
          + "end ";

  /**
   * KEYS[1] key: nil if it does not exist; {0} if it is no string; else {1, SHA-1 of its value,
   * PTTL, absolute expiry ms (-1: none)}.
   */
  static final byte[] FINGERPRINT =
      (EXPIRE_AT
              + "local ty = redis.call('type', KEYS[1])['ok'] "
              + "if ty == 'none' then return false end "
              + "if ty ~= 'string' then return {0} end "
              + "return {1, redis.sha1hex(redis.call('get', KEYS[1])), "
              + "redis.call('pttl', KEYS[1]), expireat(KEYS[1])}")
          .getBytes(StandardCharsets.US_ASCII);

  /**
   * KEYS[1] key, ARGV[1] the SHA-1 read, ARGV[2] the absolute expiry read, ARGV[3] the new value,
   * ARGV[4] its TTL ms: the new absolute expiry if written, 0 if the key changed since it was read.
   */
  static final byte[] COMPARE_AND_SET =
      (EXPIRE_AT
              + "if redis.call('type', KEYS[1])['ok'] ~= 'string' then return 0 end "
              + "if redis.sha1hex(redis.call('get', KEYS[1])) ~= ARGV[1] then return 0 end "
              + "local tol = "
              + EXPIRY_TOLERANCE_MILLIS
              + " if v7 then tol = 0 end "
              + "local at = expireat(KEYS[1]) "
              + "if at < 0 or math.abs(at - tonumber(ARGV[2])) > tol then return 0 end "
              + "redis.call('set', KEYS[1], ARGV[3], 'PX', ARGV[4]) "
              + "return expireat(KEYS[1])")
          .getBytes(StandardCharsets.US_ASCII);

  private static final int PIPELINE_CHUNK = 1_000;
  private static final long LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** What {@link #prepare} read: the value's SHA-1 and its absolute expiry. */
  private record Fingerprint(String sha1, long expireAt) {}

  /** A key due later, from a {@code PTTL} read. */
  private record Due(long atNanos, byte[] key, double weight, TtlChoice ttls) {}

  private final PriorityQueue<Due> scheduled =
      new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));
  private long lastCheckNanos;
  private boolean checked;

  RefreshAhead() {
    super(StandingTechnique.REFRESH_AHEAD);
  }

  @Override
  String loadedName() {
    return "refreshed";
  }

  @Override
  void leaseTaken() {
    checked = false;
    scheduled.clear();
  }

  @Override
  boolean accepts(LoaderTable.Entry loader) {
    return refreshable(loader);
  }

  /** See the class comment: the application's own loaders only. */
  static boolean refreshable(LoaderTable.Entry loader) {
    return !loader.loadsFields()
        && KeyLoads.returnsBytes(loader)
        && !(loader.implementation() instanceof HttpTemplateLoader);
  }

  /** The next moment a scheduled key falls due (nanoTime), or {@link Long#MAX_VALUE}. */
  long nextDueNanos() {
    Due head = scheduled.peek();
    return head == null ? Long.MAX_VALUE : head.atNanos;
  }

  @Override
  void poll(StandingContext context, Instant now) {
    if (context.current == null) {
      return;
    }
    long nanos = System.nanoTime();
    for (Due head = scheduled.peek(); head != null && head.atNanos - nanos <= 0; ) {
      scheduled.poll();
      offer(head.key, head.weight, head.ttls);
      head = scheduled.peek();
    }
    if (checked && nanos - lastCheckNanos < context.standing.refreshCheck().toNanos()) {
      return;
    }
    checked = true;
    lastCheckNanos = nanos;
    List<PlanEntry> watched = new ArrayList<>();
    double weight = 0;
    for (PlanEntry entry : context.current.primary()) {
      if (watched.size() >= context.standing.refreshKeys()) {
        break;
      }
      if (FieldMember.isField(entry.key())) {
        // a field's value and expiry cannot be compared-and-set as a string's (before Redis 7.4
        // its TTL is the whole hash's): never watched, counted at each check
        counters.skipped.incrementAndGet();
        continue;
      }
      if (observedMillis(context, entry.key()) > 0) {
        LoaderTable.Entry loader = context.loads.loaderOf(entry.key());
        if (loader != null && !refreshable(loader)) {
          continue; // never loaded (see the class comment)
        }
        watched.add(entry);
        weight += entry.weight();
      }
    }
    List<Long> remaining = remainingTtls(context, watched);
    long readNanos = System.nanoTime(); // a remaining TTL is at most this old
    TtlChoice ttls = context.ttls(context.currentTtls);
    scheduled.clear(); // this read replaces the last one's schedule
    boolean any = false;
    for (int i = 0; i < watched.size(); i++) {
      Long pttl = remaining.get(i);
      if (pttl == null || pttl <= 0) {
        continue;
      }
      PlanEntry entry = watched.get(i);
      long early = pttl - dueBelow(context, entry.key());
      if (early < 0) {
        offer(entry.key(), entry.weight(), ttls);
      } else {
        scheduled.add(
            new Due(
                readNanos + TimeUnit.MILLISECONDS.toNanos(early + 1),
                entry.key(),
                entry.weight(),
                ttls));
      }
      any = true;
    }
    if (any) {
      counters.startRound(weight);
    }
  }

  private static List<Long> remainingTtls(StandingContext context, List<PlanEntry> keys) {
    List<Long> out = new ArrayList<>(keys.size());
    for (int from = 0; from < keys.size(); from += PIPELINE_CHUNK) {
      List<Response<Long>> replies = new ArrayList<>();
      try (AbstractPipeline pipeline = context.cache.pipelined()) {
        for (PlanEntry e : keys.subList(from, Math.min(keys.size(), from + PIPELINE_CHUNK))) {
          replies.add(pipeline.pttl(e.key()));
        }
        pipeline.sync();
      }
      replies.forEach(r -> out.add(r.get()));
    }
    return out;
  }

  /** The key's observed TTL, ms; 0 if none is known or the application sets none. */
  private static long observedMillis(StandingContext context, byte[] key) {
    Long observed = context.currentTtls.of(key);
    return observed == null || observed <= 0 ? 0 : observed;
  }

  /** The remaining TTL, ms, below which the key is due: the threshold plus the margin. */
  private static long dueBelow(StandingContext context, byte[] key) {
    return (long) (context.standing.refreshBelow() * observedMillis(context, key)) + MARGIN_MILLIS;
  }

  @Override
  boolean checksPresence() {
    return false; // prepare reads the value and expiry it will compare, not presence
  }

  @Override
  Object prepare(StandingContext context, Candidate candidate) {
    byte[] key = candidate.key();
    if (observedMillis(context, key) <= 0) {
      counters.noTtl.incrementAndGet(); // the plan read since says the application sets none
      return null;
    }
    if (!(context.cache.eval(FINGERPRINT, List.of(key), List.of()) instanceof List<?> read)) {
      counters.skipped.incrementAndGet(); // expired (or deleted) before its turn
      return null;
    }
    if (Long.valueOf(0).equals(read.get(0))) {
      counters.skipped.incrementAndGet(); // no string (the application's hash, list, ...)
      return null;
    }
    String digest = new String((byte[]) read.get(1), StandardCharsets.US_ASCII);
    long pttl = (Long) read.get(2);
    long expireAt = (Long) read.get(3);
    if (pttl <= 0 || expireAt <= 0) {
      counters.noTtl.incrementAndGet(); // persisted since the check: never refreshed
      return null;
    }
    if (pttl >= dueBelow(context, key) + MARGIN_MILLIS) {
      counters.skipped.incrementAndGet(); // written again since the check (a fresh TTL)
      return null;
    }
    return new Fingerprint(digest, expireAt);
  }

  @Override
  void write(StandingContext context, Candidate candidate, Object checked, KeyLoads.Loaded loaded) {
    byte[] key = candidate.key();
    Fingerprint read = (Fingerprint) checked;
    LoadedValue value = loaded.value();
    if (value.kind() != LoadedValue.Kind.VALUE) {
      counters.skipped.incrementAndGet();
      return;
    }
    long ttl = candidate.ttls().millis(key, value, loaded.loader());
    if (ttl <= 0) {
      counters.noTtl.incrementAndGet();
      return;
    }
    Object reply =
        context.cache.eval(
            COMPARE_AND_SET,
            List.of(key),
            List.of(ascii(read.sha1), ascii(read.expireAt), value.bytes(), ascii(ttl)));
    if (reply instanceof Long expireAt && expireAt > 0) {
      counters.loaded(candidate.weight());
      if (sha1Hex(value.bytes()).equals(read.sha1)) {
        counters.unchanged.incrementAndGet();
      }
    } else {
      counters.applicationWroteFirst.incrementAndGet();
    }
  }

  static String sha1Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
