package dev.keywarm.analyzer.read;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.schema.KeySchema.Shard;
import dev.keywarm.schema.PairMember;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * folded into per-key arrays at once, so client memory is the aggregate plus a few batches of pages
 * (≤ {@value #BATCH_MEMBERS} members per pipeline round trip; see {@link Folder} for how many are
 * queued), never a whole hour. Which hours are complete, and how an hour still being written is
 * read instead ({@code ZSCAN}, each member folded once per set) and with what tolerance, is {@link
 * HourRange}'s rule, shared with the warm-runner. The small per-hour hashes (meta, TTLs per key
 * pattern) are read whole, {@code HGETALL}, before the set sizes.
 *
 * <p><b>Shards.</b> Each hour is read as its {@code meta} says it was written ({@link
 * KeySchema#shardCounts}, {@link KeySchema#readShards}): every shard of every shard count that
 * wrote to it, each shard's sets from the node owning its slot ({@link StatsNodes}); an hour whose
 * meta names no count is the one-shard layout of schema version 1. Merging is summing: a key is in
 * exactly one shard per count, so its count is the sum over the shards that hold it, even when two
 * counts wrote the hour (an agent fleet changing {@code shards} mid-hour). The metas are summed
 * too: the hour's own and every shard's ({@code trimmed_*}); the layout's own fields ({@link
 * KeySchema#isLayoutField}) are not counters and are left out. Pages are folded in one fixed order
 * (by hour, set, shard and page, grouped into batches per node) whatever the nodes' speeds, so the
 * key ids, and with them the order of ties in every ranking, are the same on every run.
 *
 * <p>The union over hours is done client-side rather than with {@code ZUNIONSTORE}: the analysis
 * needs per-hour-of-day and held-out breakdowns that one server-side union would lose, and a union
 * would need a scratch key that the schema does not name (and, across shards, one slot). Raw
 * replies are parsed directly (no {@code Tuple} objects) because that parsing dominates the time on
 * large ranges.
 */
public final class HourlyStatsReader {

  static final int PAGE = 10_000;
  static final int BATCH_MEMBERS = 60_000;
  private static final int HOURS_PER_PIPELINE = 200;
  private static final byte[] WITHSCORES = ascii("WITHSCORES");
  private static final byte[] COUNT = ascii("COUNT");
  private static final byte[] CURSOR_START = ascii("0");

  private final StatsNodes nodes;
  private final KeySchema schema;

  /** On one server that holds every shard (standalone). */
  public HourlyStatsReader(Jedis jedis, KeySchema schema) {
    this(StatsNodes.standalone(jedis), schema);
  }

  public HourlyStatsReader(StatsNodes nodes, KeySchema schema) {
    this.nodes = nodes;
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
    List<HourSizes> sizes = sizes(hours);
    List<HourBucket> present = new ArrayList<>();
    List<HourBucket> missing = new ArrayList<>();
    Map<String, Long> meta = new TreeMap<>();
    PatternTtls ttls = new PatternTtls();
    long pairHours = 0;
    for (HourSizes s : sizes) {
      (s.reads() > 0 ? present : missing).add(s.hour);
      addCounters(meta, s.meta);
      for (ShardSizes shard : s.shards) {
        if (shard.meta != null) {
          addCounters(meta, shard.meta);
        }
      }
      ttls.add(s.ttlPatterns);
      pairHours += s.total(Kind.PAIRS) > 0 ? 1 : 0;
    }
    List<HourBucket> heldOut = heldOut(present);

    List<Page> pages = new ArrayList<>();
    List<Page> scans = new ArrayList<>();
    List<HourBucket> partial = new ArrayList<>();
    for (HourSizes s : sizes) {
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
        for (ShardSizes shard : s.shards) {
          byte[] key = ascii(name(hour, kind, shard.shard));
          int node = nodes.nodeOf(shard.shard.slot());
          long card = shard.cards[kind.ordinal()];
          if (live) {
            if (card > 0) {
              scans.add(new Page(key, 0, 0, kind, context, node));
            }
            continue;
          }
          for (long start = 0; start < card; start += PAGE) {
            pages.add(
                new Page(key, start, (int) Math.min(PAGE, card - start), kind, context, node));
          }
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

  /**
   * At least how many keys were read in {@code hour}: the larger of its hits and misses sets, each
   * summed over the hour's shards.
   */
  public long keysReadIn(HourBucket hour) {
    Set<String> fields = nodes.home(schema).hkeys(schema.meta(hour));
    long hits = 0;
    long misses = 0;
    for (Shard shard : schema.readShards(hour, KeySchema.shardCounts(fields))) {
      Jedis node = nodes.forSlot(shard.slot());
      hits += node.zcard(ascii(schema.hourly(hour, HourlySet.HITS, shard)));
      misses += node.zcard(ascii(schema.hourly(hour, HourlySet.MISSES, shard)));
    }
    return Math.max(hits, misses);
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

  private String name(HourBucket hour, Kind kind, Shard shard) {
    return kind == Kind.PAIRS ? schema.pairs(hour, shard) : schema.hourly(hour, kind.set, shard);
  }

  /**
   * Per ~{@value #HOURS_PER_PIPELINE} hours, two round trips: the hours' metas and TTL patterns
   * from the app's node, then, the shards known, every shard's set sizes and meta from the node
   * owning it (one pipeline per node, all sent before any is read, so the nodes answer at once).
   */
  private List<HourSizes> sizes(List<HourBucket> hours) {
    List<HourSizes> result = new ArrayList<>(hours.size());
    Jedis home = nodes.home(schema);
    for (int from = 0; from < hours.size(); from += HOURS_PER_PIPELINE) {
      List<HourBucket> chunk =
          hours.subList(from, Math.min(hours.size(), from + HOURS_PER_PIPELINE));
      List<Response<Map<String, String>>> metas = new ArrayList<>();
      List<Response<Map<String, String>>> ttlPatterns = new ArrayList<>();
      Pipeline p = home.pipelined();
      for (HourBucket hour : chunk) {
        metas.add(p.hgetAll(schema.meta(hour)));
        ttlPatterns.add(p.hgetAll(schema.ttlPatterns(hour))); // small: patterns × TTL buckets
      }
      p.sync();

      Pipeline[] pipelines = new Pipeline[nodes.size()];
      List<List<ShardReplies>> replies = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        HourBucket hour = chunk.get(i);
        String baseMeta = schema.meta(hour);
        List<ShardReplies> shards = new ArrayList<>();
        for (Shard shard :
            schema.readShards(hour, KeySchema.shardCounts(metas.get(i).get().keySet()))) {
          int node = nodes.nodeOf(shard.slot());
          if (pipelines[node] == null) {
            pipelines[node] = nodes.node(node).pipelined();
          }
          Pipeline np = pipelines[node];
          List<Response<Long>> cards = new ArrayList<>(Kind.values().length);
          for (Kind kind : Kind.values()) {
            cards.add(np.zcard(ascii(name(hour, kind, shard))));
          }
          String shardMeta = schema.meta(hour, shard);
          // one shard's meta is the hour's own, already read
          Response<Map<String, String>> meta =
              shardMeta.equals(baseMeta) ? null : np.hgetAll(shardMeta);
          shards.add(new ShardReplies(shard, cards, meta));
        }
        replies.add(shards);
      }
      for (Pipeline np : pipelines) {
        if (np != null) {
          np.sync();
        }
      }
      for (int i = 0; i < chunk.size(); i++) {
        List<ShardSizes> shards = new ArrayList<>();
        for (ShardReplies r : replies.get(i)) {
          long[] cards = new long[Kind.values().length];
          for (int k = 0; k < cards.length; k++) {
            cards[k] = r.cards.get(k).get();
          }
          shards.add(new ShardSizes(r.shard, cards, r.meta == null ? null : r.meta.get()));
        }
        result.add(
            new HourSizes(chunk.get(i), shards, metas.get(i).get(), ttlPatterns.get(i).get()));
      }
    }
    return result;
  }

  /** Sums an hour's (or a shard's) meta into {@code into}, the layout's own fields left out. */
  private static void addCounters(Map<String, Long> into, Map<String, String> meta) {
    meta.forEach(
        (field, value) -> {
          if (!KeySchema.isLayoutField(field)) {
            into.merge(field, parseLong(value), Long::sum);
          }
        });
  }

  private record ShardReplies(
      Shard shard, List<Response<Long>> cards, Response<Map<String, String>> meta) {}

  /** One shard's ZCARDs by {@link Kind#ordinal()}; its own meta, or null when it is the hour's. */
  private record ShardSizes(Shard shard, long[] cards, Map<String, String> meta) {}

  /** An hour's shards, its own meta and TTL patterns hashes. */
  private record HourSizes(
      HourBucket hour,
      List<ShardSizes> shards,
      Map<String, String> meta,
      Map<String, String> ttlPatterns) {
    long total(Kind kind) {
      long sum = 0;
      for (ShardSizes shard : shards) {
        sum += shard.cards[kind.ordinal()];
      }
      return sum;
    }

    long reads() {
      return total(Kind.HITS) + total(Kind.MISSES);
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

  /** A page of one set: {@code members} expected from {@code start}, on node {@code node}. */
  private record Page(
      byte[] key, long start, int members, Kind kind, HourContext context, int node) {}

  /** Pages of one node, fetched in one pipeline round trip. */
  private record Batch(int node, List<Page> pages) {}

  /** One batch's replies, in page order, or the fetcher's failure. */
  private record Fetched(Batch batch, List<Response<Object>> replies, RuntimeException failure) {}

  /**
   * Folds pages into the aggregate while the next round trips are under way: a fetcher thread per
   * node owns that node's connection for the duration and queues each synced batch, and this thread
   * folds the batches in their fixed order, each taken from its node's queue. Folding is
   * memory-bound hash lookups, fetching is Redis serialising and Jedis parsing; overlapping them
   * keeps Redis busy instead of idle while the client folds, and on a cluster the nodes serialise
   * and the client parses their replies in parallel. One thread per node, not more: a node is one
   * Redis core, and a second pipeline to it would only interleave with the first. Queued ahead of
   * the folding: two batches on one node (as before shards), one per node on several, so memory
   * stays ≤ (2 × nodes + 1) × {@value #BATCH_MEMBERS} members however many nodes.
   */
  private final class Folder {
    private final KeyTable keys;
    private final PairCounts pairs;
    private long skippedPairs;

    Folder(KeyTable keys, PairCounts pairs) {
      this.keys = keys;
      this.pairs = pairs;
    }

    /** Batches of at least {@value #BATCH_MEMBERS} expected members, each of one node's pages. */
    private List<Batch> batches(List<Page> pages) {
      List<Batch> batches = new ArrayList<>();
      List<List<Page>> open = new ArrayList<>();
      int[] members = new int[nodes.size()];
      for (int n = 0; n < nodes.size(); n++) {
        open.add(new ArrayList<>());
      }
      for (Page page : pages) {
        open.get(page.node()).add(page);
        members[page.node()] += page.members();
        if (members[page.node()] >= BATCH_MEMBERS) {
          batches.add(new Batch(page.node(), open.get(page.node())));
          open.set(page.node(), new ArrayList<>());
          members[page.node()] = 0;
        }
      }
      for (int n = 0; n < nodes.size(); n++) {
        if (!open.get(n).isEmpty()) {
          batches.add(new Batch(n, open.get(n)));
        }
      }
      return batches;
    }

    void foldAll(List<Page> pages) {
      List<Batch> batches = batches(pages);
      List<List<Batch>> perNode = new ArrayList<>();
      for (int n = 0; n < nodes.size(); n++) {
        perNode.add(new ArrayList<>());
      }
      batches.forEach(b -> perNode.get(b.node()).add(b));
      int ahead = nodes.size() == 1 ? 2 : 1;
      List<BlockingQueue<Fetched>> queues = new ArrayList<>();
      List<Thread> fetchers = new ArrayList<>();
      for (int n = 0; n < nodes.size(); n++) {
        BlockingQueue<Fetched> queue = new ArrayBlockingQueue<>(ahead);
        queues.add(queue);
        if (perNode.get(n).isEmpty()) {
          continue;
        }
        int node = n;
        Thread fetcher =
            new Thread(
                () -> fetch(nodes.node(node), perNode.get(node), queue),
                "keywarm-analyzer-fetch-" + n);
        fetcher.setDaemon(true);
        fetchers.add(fetcher);
      }
      fetchers.forEach(Thread::start);
      try {
        for (Batch expected : batches) {
          Fetched batch = queues.get(expected.node()).take();
          if (batch.failure() != null) {
            throw batch.failure();
          }
          List<Page> batchPages = batch.batch().pages();
          for (int i = 0; i < batchPages.size(); i++) {
            fold((List<?>) batch.replies().get(i).get(), batchPages.get(i), null);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading hourly sets", e);
      } finally {
        // a no-op once they have finished; stops them if folding failed
        fetchers.forEach(Thread::interrupt);
        for (Thread fetcher : fetchers) {
          try {
            fetcher.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    private void fetch(Jedis node, List<Batch> batches, BlockingQueue<Fetched> queue) {
      try {
        for (Batch batch : batches) {
          Pipeline pipeline = node.pipelined();
          List<Response<Object>> replies = new ArrayList<>(batch.pages().size());
          for (Page page : batch.pages()) {
            replies.add(
                pipeline.sendCommand(
                    Protocol.Command.ZRANGE,
                    page.key(),
                    ascii(Long.toString(page.start())),
                    ascii(Long.toString(page.start() + PAGE - 1)),
                    WITHSCORES));
          }
          pipeline.sync();
          queue.put(new Fetched(batch, replies, null));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the folder gave up; nobody is waiting
      } catch (RuntimeException e) {
        try {
          queue.put(new Fetched(null, List.of(), e));
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Scans one set of an hour still being written (see the class comment); on this thread. */
    void scan(Page set) {
      Jedis node = nodes.node(set.node());
      Seen seen = new Seen();
      byte[] cursor = CURSOR_START;
      do {
        List<?> reply =
            (List<?>)
                node.sendCommand(
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
