package dev.keywarm.runner.restore;

import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RedisError;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.plan.KeyBytes;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.SnapshotField;
import dev.keywarm.schema.snapshot.SnapshotEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Reads the agent's hot-set snapshot from the stats Redis, hottest first, and judges every entry
 * with the one validity rule, {@link SnapshotEntry#restorable}: what comes out may be put back into
 * the cache Redis now.
 *
 * <p>One round trip per page of {@code pageSize} keys, pipelined: {@code HMGET} of the page's
 * values from {@code snapshotValues()}, {@code ZMSCORE snapshotInvalidations()} of the same keys
 * (each key's latest change, however late its batch arrived; {@code ZSCORE} per key before Redis
 * 6.2), {@code invalid_before} again, and the next page's keys ({@code ZREVRANGE snapshotRank()}).
 * The first round trip reads {@code invalid_before}, the rank's size and the first page's keys.
 * Each page's request goes out as soon as the previous reply is in, before that page is judged and
 * handed on, so the stats Redis prepares one page while the runner writes the other. Every page is
 * judged against invalidations read together with its values: a key the application deletes while
 * the restore runs is not put back once an agent has published the delete (a key it writes is
 * protected anyway: {@code RESTORE} never replaces).
 *
 * <p>Over keywarm's own {@link RespConnection}, as the writer's: a page of 512 values of 1 KB is
 * half a megabyte to parse, and on this 2-core box the runner's CPU is what the cache Redis
 * competes with (parsing with a Jedis pipeline cost about twice as much). On a cluster the
 * snapshot's keys share the app's hash tag, so one node holds them all: the first {@code MOVED} is
 * followed, a later one (a slot migrating during the restore) ends the read.
 *
 * <p>At most {@code maxEntries} entries are read; a key that appears twice (the rank changed
 * between pages) is judged once. Memory: the keys seen, and two pages of values and scores. Any
 * failure is an {@link IOException} (an error reply included), for the caller to treat.
 */
public final class SnapshotReader implements AutoCloseable {

  /** Why an entry is not restored; {@link #text} is how the log line says it. */
  public enum Skip {
    INVALIDATED("written/deleted since read"),
    /** Read before the snapshot's {@code invalid_before}: an instance lost track of its writes. */
    UNVOUCHED("read before invalid_before"),
    EXPIRED("expired"),
    TOO_OLD("older than kept"),
    UNDECODABLE("undecodable"),
    MISSING("value missing"),
    /**
     * A hash field's member: a snapshot holds dumps of whole keys, and restoring one under a
     * field's member would write a key of that name. Fields are loaded, never restored.
     */
    HASH_FIELD("hash field, not snapshotted");

    private final String text;

    Skip(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /**
   * An entry to put back: its remaining TTL when judged (0 = no expiry) and its absolute expiry (0
   * = none), which the restore writes ({@code ABSTTL}) so that queueing never extends it.
   */
  public record Restorable(byte[] key, byte[] payload, long ttlMillis, long expireAtMillis) {}

  /** One page, in rank order: what to restore, and how many entries were not restorable. */
  public record Page(List<Restorable> restorable, int skipped) {

    public int entries() {
      return restorable.size() + skipped;
    }
  }

  private static final byte[] INVALID_BEFORE = ascii(SnapshotField.INVALID_BEFORE.field());
  private static final byte[] HMGET = ascii("HMGET");
  private static final byte[] ZMSCORE = ascii("ZMSCORE");
  private static final byte[] ZSCORE = ascii("ZSCORE");
  private static final byte[] ZREVRANGE = ascii("ZREVRANGE");
  private static final int MAX_REDIRECTS = 5;

  private final RedisEndpoint endpoint;
  private final int timeoutMillis;
  private final byte[] values;
  private final byte[] rank;
  private final byte[] invalidationSet;
  private final byte[] meta;
  private final int pageSize;
  private final long maxEntries;
  private final LongSupplier wallClock;

  /** Before Redis 6.2 there is no ZMSCORE: one ZSCORE per key. */
  private boolean perKeyScores;

  private final Set<KeyBytes> seen = new HashSet<>();
  private final Map<Skip, Long> skips = new EnumMap<>(Skip.class);
  private RespConnection redis;
  private long invalidBefore;
  private boolean invalidBeforeWarned;
  private long size = -1;
  private long offset;
  private long taken;
  private List<Object> nextKeys;

  /** The page asked for and not yet read: its keys, and whether the keys after it were asked. */
  private List<KeyBytes> inFlight;

  private boolean inFlightAsksMore;

  /**
   * @param wallClock epoch ms: the entries' times are wall-clock times of the hosts that wrote them
   */
  public SnapshotReader(
      RedisEndpoint endpoint,
      int timeoutMillis,
      KeySchema schema,
      int pageSize,
      long maxEntries,
      LongSupplier wallClock) {
    this.endpoint = endpoint;
    this.timeoutMillis = timeoutMillis;
    this.values = utf8(schema.snapshotValues());
    this.rank = utf8(schema.snapshotRank());
    this.invalidationSet = utf8(schema.snapshotInvalidations());
    this.meta = utf8(schema.snapshotMeta());
    this.pageSize = pageSize;
    this.maxEntries = maxEntries;
    this.wallClock = wallClock;
  }

  /**
   * Connects (on a cluster, to the node that holds the app's slot: a {@code MOVED} reply is
   * followed) and reads the invalidations, {@code invalid_before}, the rank's size and the first
   * page's keys; false if there is no snapshot (its rank is empty).
   */
  public boolean open() throws IOException {
    RedisEndpoint node = endpoint;
    for (int redirects = 0; ; redirects++) {
      redis = RespConnection.open(node, timeoutMillis, "keywarm-restore");
      redis.send(ZMSCORE, invalidationSet, "-"); // a probe: is there ZMSCORE (Redis 6.2+)?
      redis.send("HGET", meta, INVALID_BEFORE);
      redis.send("ZCARD", rank);
      redis.send(ZREVRANGE, rank, 0, pageSize - 1);
      redis.flush();
      Object probe = redis.read();
      Object invalidBeforeNow = redis.read();
      Object ranked = redis.read();
      Object firstKeys = redis.read();
      if (probe instanceof RedisError error && error.isMoved() && redirects < MAX_REDIRECTS) {
        redis.close();
        node = error.redirectTarget(node);
        continue;
      }
      perKeyScores = probe instanceof RedisError;
      absorb(invalidBeforeNow);
      size = (Long) checked(ranked);
      nextKeys = list(firstKeys);
      return size > 0;
    }
  }

  /** Entries in the snapshot's rank when it was opened. */
  public long size() {
    return size;
  }

  /** True if the snapshot holds more entries than {@code maxEntries} (the rest are not read). */
  public boolean truncated() {
    return size > maxEntries;
  }

  /**
   * The next page, or null when the rank (or {@code maxEntries}) is exhausted. The page after it is
   * asked for before this one is judged, so that the stats Redis prepares it meanwhile.
   */
  public Page next() throws IOException {
    if (nextKeys == null) {
      throw new IllegalStateException("open() first");
    }
    if (inFlight == null && !ask()) {
      return null;
    }
    List<KeyBytes> keys = inFlight;
    boolean askedMore = inFlightAsksMore;
    inFlight = null;
    List<Object> raw = keys.isEmpty() ? List.of() : list(redis.read());
    List<Object> scores;
    if (keys.isEmpty()) {
      scores = List.of();
    } else if (perKeyScores) {
      scores = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        scores.add(checked(redis.read()));
      }
    } else {
      scores = list(redis.read());
    }
    Object invalidBeforeNow = redis.read();
    nextKeys = askedMore ? list(redis.read()) : List.of();
    absorb(invalidBeforeNow);
    ask();
    return judge(keys, raw, scores);
  }

  /** Entries not restorable so far, by reason. */
  public Map<Skip, Long> skips() {
    return new EnumMap<>(skips);
  }

  @Override
  public void close() {
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * Sends one round trip for the keys of {@link #nextKeys}: their values, the invalidations since
   * the newest seen, {@code invalid_before}, and the keys of the page after; false if there is
   * nothing left to ask.
   */
  private boolean ask() throws IOException {
    List<KeyBytes> keys = new ArrayList<>(nextKeys.size());
    for (Object member : nextKeys) {
      KeyBytes key = new KeyBytes((byte[]) member);
      if (taken + keys.size() < maxEntries && seen.add(key)) {
        keys.add(key);
      }
    }
    boolean more = nextKeys.size() == pageSize && taken + keys.size() < maxEntries;
    offset += nextKeys.size();
    nextKeys = List.of();
    if (keys.isEmpty() && !more) {
      return false;
    }
    if (!keys.isEmpty()) {
      redis.command(2 + keys.size());
      redis.argument(HMGET);
      redis.argument(values);
      for (KeyBytes key : keys) {
        redis.argument(key.bytes());
      }
    }
    if (!keys.isEmpty()) { // each key's latest change, read with its value
      if (perKeyScores) {
        for (KeyBytes key : keys) {
          redis.command(3);
          redis.argument(ZSCORE);
          redis.argument(invalidationSet);
          redis.argument(key.bytes());
        }
      } else {
        redis.command(2 + keys.size());
        redis.argument(ZMSCORE);
        redis.argument(invalidationSet);
        for (KeyBytes key : keys) {
          redis.argument(key.bytes());
        }
      }
    }
    redis.send("HGET", meta, INVALID_BEFORE);
    if (more) {
      redis.send(ZREVRANGE, rank, offset, offset + pageSize - 1);
    }
    redis.flush();
    taken += keys.size();
    inFlight = keys;
    inFlightAsksMore = more;
    return true;
  }

  private Page judge(List<KeyBytes> keys, List<Object> raw, List<Object> scores) {
    long now = wallClock.getAsLong();
    List<Restorable> restorable = new ArrayList<>(keys.size());
    int skipped = 0;
    for (int i = 0; i < keys.size(); i++) {
      KeyBytes key = keys.get(i);
      Skip skip;
      byte[] encoded = i < raw.size() ? (byte[]) raw.get(i) : null;
      SnapshotEntry entry = encoded == null ? null : SnapshotEntry.decode(encoded);
      if (FieldMember.isField(key.bytes())) {
        skip = Skip.HASH_FIELD;
      } else if (encoded == null) {
        skip = Skip.MISSING;
      } else if (entry == null) {
        skip = Skip.UNDECODABLE;
      } else {
        Object score = i < scores.size() ? scores.get(i) : null;
        long invalidatedAt = score == null ? 0 : (long) Double.parseDouble(text(score));
        if (entry.restorable(now, invalidatedAt, invalidBefore)) {
          restorable.add(
              new Restorable(
                  key.bytes(),
                  entry.payload(),
                  entry.remainingTtlMillis(now),
                  entry.expireAtMillis()));
          continue;
        }
        // the rule decided; this only names the reason for the log line
        if (entry.restorable(now, invalidatedAt, 0)) {
          skip = Skip.UNVOUCHED;
        } else if (entry.restorable(now, 0, 0)) {
          skip = Skip.INVALIDATED;
        } else if (entry.remainingTtlMillis(now) < 0) {
          skip = Skip.EXPIRED;
        } else {
          skip = Skip.TOO_OLD;
        }
      }
      skips.merge(skip, 1L, Long::sum);
      skipped++;
    }
    return new Page(restorable, skipped);
  }

  /** Takes in the {@code invalid_before} field. */
  private void absorb(Object invalidBeforeField) throws IOException {
    Object field = checked(invalidBeforeField);
    if (field != null) {
      String text = text(field).trim();
      try {
        invalidBefore = Math.max(invalidBefore, Long.parseLong(text));
      } catch (NumberFormatException e) {
        // unreadable: trust nothing read before now rather than everything
        invalidBefore = Math.max(invalidBefore, wallClock.getAsLong());
        if (!invalidBeforeWarned) {
          invalidBeforeWarned = true;
          WarmLog.warn(
              "snapshot invalid_before is not a number ('"
                  + text
                  + "'): no entry read before now is restored");
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object reply) throws IOException {
    Object r = checked(reply);
    if (r instanceof List<?> items) {
      return (List<Object>) items;
    }
    throw new IOException("unexpected reply from " + redis.endpoint() + ": " + r);
  }

  private Object checked(Object reply) throws IOException {
    if (reply instanceof RedisError error) {
      throw new IOException("the stats Redis " + redis.endpoint() + " answered " + error.message());
    }
    return reply;
  }

  private static String text(Object bulk) {
    return bulk instanceof byte[] b
        ? new String(b, StandardCharsets.US_ASCII)
        : String.valueOf(bulk);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
