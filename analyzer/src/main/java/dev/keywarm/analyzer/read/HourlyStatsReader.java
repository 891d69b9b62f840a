package dev.keywarm.analyzer.read;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.PairMember;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;

/**
 * Reads one app's hourly sets over a range into a {@link RangeData}, streaming: every sorted set is
 * read in pages of {@value #PAGE} members ({@code ZRANGE key start stop WITHSCORES} by index) and
 * folded into per-key arrays at once, so client memory is the aggregate plus one batch of pages (≤
 * {@value #BATCH_MEMBERS} members per pipeline round trip, at most two round trips queued ahead of
 * the folding), never a whole hour. Which hours are complete, and how an hour still being written
 * is read instead ({@code ZSCAN}, each member folded once) and with what tolerance, is {@link
 * HourRange}'s rule, shared with the warm-runner. The small per-hour hashes (meta, TTLs per key
 * pattern) are read whole, {@code HGETALL} in the same pipeline as the set sizes.
 *
 * <p>The union over hours is done client-side rather than with {@code ZUNIONSTORE}: the analysis
 * needs per-hour-of-day and held-out breakdowns that one server-side union would lose, and a union
 * would need a scratch key that the schema does not name. Raw replies are parsed directly (no
 * {@code Tuple} objects) because that parsing dominates the time on large ranges.
 */
public final class HourlyStatsReader {

  static final int PAGE = 10_000;
  static final int BATCH_MEMBERS = 60_000;
  private static final byte[] WITHSCORES = ascii("WITHSCORES");
  private static final byte[] COUNT = ascii("COUNT");
  private static final byte[] CURSOR_START = ascii("0");

  private final Jedis jedis;
  private final KeySchema schema;

  public HourlyStatsReader(Jedis jedis, KeySchema schema) {
    this.jedis = jedis;
    this.schema = schema;
  }

  /**
   * Reads with the current UTC hour, by the system clock, as the first hour still being written.
   */
  public RangeData read(HourRange range, double halfLifeHours) {
    return read(range, halfLifeHours, HourBucket.of(Instant.now()));
  }

  /**
   * @param halfLifeHours recency half-life for decayed reads (an hour {@code t} hours before the
   *     end of the range weighs 2^(−t/halfLife)); 0 for none
   * @param current the hour agents are writing now: it and later hours are scanned, not paged
   */
  public RangeData read(HourRange range, double halfLifeHours, HourBucket current) {
    List<HourBucket> hours = range.list();
    List<SetSizes> sizes = sizes(hours);
    List<HourBucket> present = new ArrayList<>();
    List<HourBucket> missing = new ArrayList<>();
    Map<String, Long> meta = new TreeMap<>();
    PatternTtls ttls = new PatternTtls();
    long pairHours = 0;
    for (SetSizes s : sizes) {
      (s.reads() > 0 ? present : missing).add(s.hour);
      s.meta.forEach((field, value) -> meta.merge(field, parseLong(value), Long::sum));
      ttls.add(s.ttlPatterns);
      pairHours += s.cards[5] > 0 ? 1 : 0;
    }
    List<HourBucket> heldOut = heldOut(present);

    List<Page> pages = new ArrayList<>();
    List<Page> scans = new ArrayList<>();
    List<HourBucket> partial = new ArrayList<>();
    for (SetSizes s : sizes) {
      HourBucket hour = s.hour;
      double weight =
          halfLifeHours > 0
              ? Math.pow(0.5, (range.to().epochHour() - hour.epochHour() - 1) / halfLifeHours)
              : 1.0;
      HourContext context =
          new HourContext(weight, hour.hourOfDay(), dayOfWeek(hour), heldOut.contains(hour));
      boolean live = HourRange.isBeingWritten(hour, current);
      if (live && s.reads() > 0) {
        partial.add(hour);
      }
      for (Kind kind : Kind.values()) {
        byte[] key = ascii(kind == Kind.PAIRS ? schema.pairs(hour) : schema.hourly(hour, kind.set));
        long card = s.cards[indexOf(kind)];
        if (live) {
          if (card > 0) {
            scans.add(new Page(key, 0, kind, context));
          }
          continue;
        }
        for (long start = 0; start < card; start += PAGE) {
          pages.add(new Page(key, start, kind, context));
        }
      }
    }
    KeyTable keys = new KeyTable();
    PairCounts pairs = new PairCounts();
    Folder folder = new Folder(keys, pairs);
    folder.foldAll(pages);
    scans.forEach(folder::scan);
    return new RangeData(
        schema.app(),
        range,
        keys,
        pairs,
        meta,
        present,
        missing,
        List.copyOf(heldOut),
        halfLifeHours,
        folder.skippedPairs,
        pairHours,
        partial,
        ttls);
  }

  /** At least how many keys were read in {@code hour}: the larger of its hits and misses sets. */
  public long keysReadIn(HourBucket hour) {
    return Math.max(
        jedis.zcard(ascii(schema.hourly(hour, HourlySet.HITS))),
        jedis.zcard(ascii(schema.hourly(hour, HourlySet.MISSES))));
  }

  /** Test hours for the backtest: a quarter of the hours with data, at most a day, none if < 2. */
  static int heldOutCount(int presentHours) {
    return presentHours < 2 ? 0 : Math.max(1, Math.min(24, presentHours / 4));
  }

  /**
   * The newest present hours, up to {@link #heldOutCount}, stopping before an hour of day repeats
   * (possible when hours are missing): held-out reads are kept per hour of day, one hour each.
   */
  static List<HourBucket> heldOut(List<HourBucket> present) {
    int wanted = heldOutCount(present.size());
    boolean[] taken = new boolean[24];
    int from = present.size();
    while (present.size() - from < wanted && !taken[present.get(from - 1).hourOfDay()]) {
      taken[present.get(from - 1).hourOfDay()] = true;
      from--;
    }
    return present.subList(from, present.size());
  }

  private List<SetSizes> sizes(List<HourBucket> hours) {
    List<SetSizes> result = new ArrayList<>(hours.size());
    // one pipeline of ZCARD/HGETALL per ~200 hours: 1,400 small replies per round trip
    for (int from = 0; from < hours.size(); from += 200) {
      List<HourBucket> chunk = hours.subList(from, Math.min(hours.size(), from + 200));
      List<List<Response<Long>>> cards = new ArrayList<>();
      List<Response<Map<String, String>>> metas = new ArrayList<>();
      List<Response<Map<String, String>>> ttlPatterns = new ArrayList<>();
      Pipeline p = jedis.pipelined();
      for (HourBucket hour : chunk) {
        List<Response<Long>> c = new ArrayList<>(6);
        for (HourlySet set :
            new HourlySet[] {
              HourlySet.HITS, HourlySet.MISSES, HourlySet.LOAD_MICROS, HourlySet.LOADS
            }) {
          c.add(p.zcard(ascii(schema.hourly(hour, set))));
        }
        c.add(p.zcard(ascii(schema.pairs(hour))));
        cards.add(c);
        metas.add(p.hgetAll(schema.meta(hour)));
        ttlPatterns.add(p.hgetAll(schema.ttlPatterns(hour))); // small: patterns × TTL buckets
      }
      p.sync();
      for (int i = 0; i < chunk.size(); i++) {
        long[] c = new long[6];
        for (int j = 0; j < 5; j++) {
          c[j + 1] = cards.get(i).get(j).get();
        }
        result.add(new SetSizes(chunk.get(i), c, metas.get(i).get(), ttlPatterns.get(i).get()));
      }
    }
    return result;
  }

  private static int indexOf(Kind kind) {
    return switch (kind) {
      case HITS -> 1;
      case MISSES -> 2;
      case LOAD_MICROS -> 3;
      case LOADS -> 4;
      case PAIRS -> 5;
    };
  }

  /**
   * ZCARDs: [1] hits, [2] misses, [3] loadus, [4] loads, [5] pairs ([0] unused); the meta and
   * ttlPatterns hashes.
   */
  private record SetSizes(
      HourBucket hour, long[] cards, Map<String, String> meta, Map<String, String> ttlPatterns) {
    long reads() {
      return cards[1] + cards[2];
    }
  }

  private record HourContext(double weight, int hourOfDay, int dayOfWeek, boolean heldOut) {}

  private enum Kind {
    HITS(HourlySet.HITS),
    MISSES(HourlySet.MISSES),
    LOAD_MICROS(HourlySet.LOAD_MICROS),
    LOADS(HourlySet.LOADS),
    PAIRS(null);

    final HourlySet set;

    Kind(HourlySet set) {
      this.set = set;
    }
  }

  private record Page(byte[] key, long start, Kind kind, HourContext context) {}

  /** One pipeline round trip's replies, in page order. */
  private record Fetched(
      List<Page> pages, List<Response<Object>> replies, RuntimeException failure) {}

  private static final Fetched END = new Fetched(List.of(), List.of(), null);

  /**
   * Folds pages into the aggregate while the next round trip is under way: a fetcher thread owns
   * the connection for the duration, queues each synced batch (at most two ahead, so memory stays
   * bounded), and this thread folds. Folding is memory-bound hash lookups, fetching is Redis
   * serialising and Jedis parsing; overlapping them keeps Redis busy instead of idle while the
   * client folds.
   */
  private final class Folder {
    private final KeyTable keys;
    private final PairCounts pairs;
    private long skippedPairs;

    Folder(KeyTable keys, PairCounts pairs) {
      this.keys = keys;
      this.pairs = pairs;
    }

    void foldAll(List<Page> pages) {
      BlockingQueue<Fetched> queue = new ArrayBlockingQueue<>(2);
      Thread fetcher = new Thread(() -> fetch(pages, queue), "keywarm-analyzer-fetch");
      fetcher.setDaemon(true);
      fetcher.start();
      try {
        while (true) {
          Fetched batch = queue.take();
          if (batch == END) {
            break;
          }
          if (batch.failure() != null) {
            throw batch.failure();
          }
          for (int i = 0; i < batch.pages().size(); i++) {
            fold((List<?>) batch.replies().get(i).get(), batch.pages().get(i), null);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading hourly sets", e);
      } finally {
        fetcher.interrupt(); // a no-op once it has finished; stops it if folding failed
        try {
          fetcher.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void fetch(List<Page> pages, BlockingQueue<Fetched> queue) {
      try {
        for (int from = 0; from < pages.size(); ) {
          int to = Math.min(pages.size(), from + BATCH_MEMBERS / PAGE);
          Pipeline pipeline = jedis.pipelined();
          List<Response<Object>> replies = new ArrayList<>(to - from);
          for (Page page : pages.subList(from, to)) {
            replies.add(
                pipeline.sendCommand(
                    Protocol.Command.ZRANGE,
                    page.key(),
                    ascii(Long.toString(page.start())),
                    ascii(Long.toString(page.start() + PAGE - 1)),
                    WITHSCORES));
          }
          pipeline.sync();
          queue.put(new Fetched(pages.subList(from, to), replies, null));
          from = to;
        }
        queue.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the folder gave up; nobody is waiting
      } catch (RuntimeException e) {
        try {
          queue.put(new Fetched(List.of(), List.of(), e));
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Scans one set of an hour still being written (see the class comment); on this thread. */
    void scan(Page set) {
      Seen seen = new Seen();
      byte[] cursor = CURSOR_START;
      do {
        List<?> reply =
            (List<?>)
                jedis.sendCommand(
                    Protocol.Command.ZSCAN,
                    set.key(),
                    cursor,
                    COUNT,
                    ascii(Integer.toString(PAGE)));
        cursor = (byte[]) reply.get(0);
        fold((List<?>) reply.get(1), set, seen);
      } while (!Arrays.equals(cursor, CURSOR_START));
    }

    /**
     * @param seen members already folded from this set, or null when no member can repeat
     */
    private void fold(List<?> reply, Page page, Seen seen) {
      Kind kind = page.kind();
      HourContext c = page.context();
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        byte[] member = (byte[]) reply.get(i);
        double score = Scores.parse((byte[]) reply.get(i + 1));
        if (kind == Kind.PAIRS) {
          foldPair(member, score, seen);
          continue;
        }
        int id = keys.idOf(member);
        if (seen != null && !seen.first(id)) {
          continue;
        }
        switch (kind) {
          case HITS, MISSES ->
              keys.addReads(
                  id, score, kind == Kind.HITS, c.weight, c.hourOfDay, c.dayOfWeek, c.heldOut);
          case LOAD_MICROS -> keys.addLoadMicros(id, score);
          default -> keys.addLoads(id, score);
        }
      }
    }

    private void foldPair(byte[] member, double score, Seen seen) {
      byte[][] pair;
      try {
        pair = PairMember.decode(member);
      } catch (IllegalArgumentException e) {
        skippedPairs++;
        return;
      }
      int a = keys.idOf(pair[0]);
      int b = keys.idOf(pair[1]);
      if (seen == null || seen.first(a, b)) {
        pairs.add(a, b, score);
      }
    }
  }

  /** Members already folded from one scanned set: keys by id, pairs by their two ids. */
  private static final class Seen {
    private final BitSet keys = new BitSet();
    private final PairCounts pairs = new PairCounts();

    boolean first(int id) {
      boolean first = !keys.get(id);
      keys.set(id);
      return first;
    }

    boolean first(int a, int b) {
      boolean first = pairs.count(a, b) == 0;
      pairs.add(a, b, 1);
      return first;
    }
  }

  static int dayOfWeek(HourBucket hour) {
    long epochDay = Math.floorDiv(hour.epochHour(), 24L);
    return (int) Math.floorMod(epochDay + 3, 7L); // 1970-01-01 was a Thursday; 0 = Monday
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
