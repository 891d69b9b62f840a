package dev.keywarm.runner.engine;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.redis.DumpPayload;
import dev.keywarm.redis.RedisError;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.runner.WarmLog;
import dev.keywarm.runner.plan.KeyBytes;
import dev.keywarm.runner.plan.PlanEntry;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.runner.target.RedisUnavailableException;
import dev.keywarm.schema.FieldMember;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.params.SetParams;

/**
 * Writes loaded values to the cache Redis without ever replacing a key: {@code SET key value NX [PX
 * ttl]}, or {@code RESTORE key ttl payload} without {@code REPLACE} for copies (fails with {@code
 * BUSYKEY} if the key exists). Both checks happen inside Redis, atomically with the write, so an
 * application write that lands at any moment before wins and is never clobbered.
 *
 * <p>{@code writers} threads each drain up to {@code batch} queued writes into one pipeline and
 * read the replies back: on a standalone Redis over keywarm's own {@link RespConnection} (one per
 * thread), on a cluster through Jedis's {@code ClusterPipeline}, which groups commands by node. A
 * pipeline that fails on the connection is retried whole with back-off (100 ms doubling to 2 s)
 * until {@code giveUpAfter} has passed since the first failure; then the writer fails the run. A
 * retried {@code SET NX} that had been applied before the connection broke reads as
 * skipped-existing, so a retry can under-count warmed keys, never overwrite one. A written {@link
 * PlanEntry.Source#SNAPSHOT} entry counts as restored, any other as warmed.
 *
 * <p>A hash-field member ({@link FieldMember}) is written by {@link FieldWrite}'s script ({@code
 * HSETNX} and its TTL, atomically) under the hash's key — so a cluster routes it by the hash's
 * slot; whether the server has per-field TTLs is asked once per target. A field whose key holds
 * another type counts as existing: it is the application's.
 */
final class PipelinedWriter {

  /**
   * One write; {@code ttlMillis} 0 means no expiry. A restore with {@code expireAtMillis} set is
   * written {@code RESTORE key expireAt payload ABSTTL}: it expires exactly when the original would
   * have, however long it waited in the queue.
   */
  record Write(PlanEntry entry, LoadedValue value, long ttlMillis, long expireAtMillis) {
    Write(PlanEntry entry, LoadedValue value, long ttlMillis) {
      this(entry, value, ttlMillis, 0);
    }
  }

  private final RedisTarget target;
  private final UnifiedJedis redis;
  private final boolean trackPresent;
  private final WarmCounters counters;
  private final int batch;
  private final long capacity;
  private final long giveUpAfterNanos;
  private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
  private final AtomicLong pending = new AtomicLong();
  private final ConcurrentLinkedQueue<KeyBytes> present = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Object flushed = new Object();
  private volatile boolean stopping;
  private volatile RedisUnavailableException failure;
  private volatile Boolean setPxAt;

  /** {@code trackPresent}: remember which keys are in the cache (only needed to expand pairs). */
  PipelinedWriter(
      RedisTarget target,
      WarmCounters counters,
      int writers,
      int batch,
      long giveUpAfterMillis,
      String app,
      boolean trackPresent) {
    this.target = target;
    this.redis = target.client();
    this.trackPresent = trackPresent;
    this.counters = counters;
    this.batch = batch;
    this.capacity = 2L * writers * batch;
    this.giveUpAfterNanos = TimeUnit.MILLISECONDS.toNanos(giveUpAfterMillis);
    for (int i = 0; i < writers; i++) {
      Thread t = new Thread(this::loop, "keywarm-write-" + app + "-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /**
   * Queues a write; blocks the loader thread while {@code 2 × writers × batch} writes are pending,
   * so loading never runs ahead of a slow or unreachable Redis (the blocked call holds its
   * concurrency slot, which stalls the dispatcher too).
   */
  void enqueueAll(List<Write> writes) throws InterruptedException {
    synchronized (flushed) {
      while (pending.get() >= capacity && failure == null && !stopping) {
        flushed.wait(50);
      }
    }
    if (failure != null) {
      counters.failed.addAndGet(writes.size());
      return;
    }
    pending.addAndGet(writes.size());
    queue.addAll(writes);
  }

  /** Keys found in the cache or written so far (warmed or existing), in completion order. */
  Iterable<KeyBytes> presentKeys() {
    return present;
  }

  RedisUnavailableException failure() {
    return failure;
  }

  /** Waits until everything enqueued so far is written (or failed). */
  void flush() throws InterruptedException {
    synchronized (flushed) {
      while (pending.get() > 0 && failure == null) {
        flushed.wait(50);
      }
    }
  }

  void stop() {
    stopping = true;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void loop() {
    List<Write> writes = new ArrayList<>(batch);
    Channel channel = new Channel();
    try {
      loop(writes, channel);
    } finally {
      channel.close();
    }
  }

  private void loop(List<Write> writes, Channel channel) {
    while (!stopping) {
      try {
        Write first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        writes.add(first);
        queue.drainTo(writes, batch - 1);
        if (failure == null) {
          writeWithRetries(writes, channel);
        } else {
          counters.failed.addAndGet(writes.size());
        }
      } catch (InterruptedException e) {
        if (stopping) {
          return;
        }
      } catch (RuntimeException e) {
        // a bug or a reply we cannot read must cost this batch, not the writer thread (flush waits
        // on it)
        counters.failed.addAndGet(writes.size());
        WarmLog.warn("write batch of " + writes.size() + " failed: " + e);
        channel.reset();
      } finally {
        if (!writes.isEmpty()) {
          pending.addAndGet(-writes.size());
          writes.clear();
          synchronized (flushed) {
            flushed.notifyAll();
          }
        }
      }
    }
  }

  private void writeWithRetries(List<Write> writes, Channel channel) throws InterruptedException {
    long firstFailure = 0;
    long backoffMillis = 100;
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        channel.write(writes);
        return;
      } catch (JedisException | IOException e) {
        channel.reset();
        long now = System.nanoTime();
        if (firstFailure == 0) {
          firstFailure = now;
          WarmLog.warn(
              "write to the cache Redis failed, retrying with back-off: " + e.getMessage());
        }
        if (now - firstFailure + TimeUnit.MILLISECONDS.toNanos(backoffMillis) > giveUpAfterNanos
            || failure != null
            || stopping) {
          counters.failed.addAndGet(writes.size());
          if (failure == null) {
            failure =
                new RedisUnavailableException(
                    "cache Redis unreachable: "
                        + attempts
                        + " write attempts over "
                        + TimeUnit.NANOSECONDS.toMillis(now - firstFailure)
                        + " ms failed; last error: "
                        + e.getMessage(),
                    e);
            failRemaining();
          }
          return;
        }
        counters.writeRetries.incrementAndGet();
        Thread.sleep(backoffMillis);
        backoffMillis = Math.min(2_000, backoffMillis * 2);
      }
    }
  }

  /** Drops what is still queued after a give-up, counting it as failed. */
  private void failRemaining() {
    List<Write> rest = new ArrayList<>();
    queue.drainTo(rest);
    counters.failed.addAndGet(rest.size());
    pending.addAndGet(-rest.size());
    synchronized (flushed) {
      flushed.notifyAll();
    }
  }

  private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVAL = "EVAL".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESTORE = "RESTORE".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ABSTTL = "ABSTTL".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NX = "NX".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PX = "PX".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PXAT = "PXAT".getBytes(StandardCharsets.US_ASCII);

  /**
   * One writer thread's way to Redis: its own RESP connection, or the cluster client's pipelines.
   */
  private final class Channel {

    private RespConnection resp;

    /**
     * One batch in one write: {@code SET key value NX [PX ttl]}, or {@code RESTORE key ttl dump}
     * for a DUMP value; then the replies in order, classified without objects. A nil reply (SET NX
     * declined) or {@code BUSYKEY} (RESTORE onto a key) means fresher data was there.
     */
    void write(List<Write> writes) throws IOException {
      if (target.isCluster()) {
        writeCluster(writes);
        return;
      }
      if (resp == null) {
        resp =
            RespConnection.open(
                target.endpoint(), (int) target.timeout().toMillis(), "keywarm-warm");
      }
      for (Write w : writes) {
        byte[] key = w.entry().key();
        byte[] value = w.value().bytes();
        byte[] plain;
        if (FieldMember.isField(key)) {
          resp.command(8);
          resp.argument(EVAL);
          resp.argument(FieldWrite.script(target.supportsFieldTtl()));
          resp.argument(1);
          resp.argument(FieldMember.key(key));
          for (byte[] arg : FieldWrite.args(key, value, w.ttlMillis(), false)) {
            resp.argument(arg);
          }
        } else if ((plain = restoredString(w)) != null) {
          resp.command(w.expireAtMillis() > 0 || w.ttlMillis() > 0 ? 6 : 4);
          resp.argument(SET);
          resp.argument(key);
          resp.argument(plain);
          resp.argument(NX);
          if (w.expireAtMillis() > 0) {
            resp.argument(PXAT);
            resp.argument(w.expireAtMillis());
          } else if (w.ttlMillis() > 0) {
            resp.argument(PX);
            resp.argument(w.ttlMillis());
          }
        } else if (w.value().kind() == LoadedValue.Kind.DUMP && w.expireAtMillis() > 0) {
          resp.command(5);
          resp.argument(RESTORE);
          resp.argument(key);
          resp.argument(w.expireAtMillis());
          resp.argument(value);
          resp.argument(ABSTTL);
        } else if (w.value().kind() == LoadedValue.Kind.DUMP) {
          resp.command(4);
          resp.argument(RESTORE);
          resp.argument(key);
          resp.argument(w.ttlMillis());
          resp.argument(value);
        } else {
          resp.command(w.ttlMillis() > 0 ? 6 : 4);
          resp.argument(SET);
          resp.argument(key);
          resp.argument(value);
          resp.argument(NX);
          if (w.ttlMillis() > 0) {
            resp.argument(PX);
            resp.argument(w.ttlMillis());
          }
        }
      }
      resp.flush();
      for (Write w : writes) {
        if (FieldMember.isField(w.entry().key())) {
          fieldWritten(w, resp.read());
          continue;
        }
        switch (resp.readReply()) {
          case OK, BULK -> wrote(w);
          case NIL -> existed(w);
          case ERROR -> {
            if (resp.lastError().code().equals("BUSYKEY")) {
              existed(w);
            } else {
              rejected(resp.lastError().message());
            }
          }
          default -> rejected("unexpected reply");
        }
      }
    }

    void reset() {
      close();
      resp = null;
    }

    void close() {
      if (resp != null) {
        resp.close();
      }
    }
  }

  private void writeCluster(List<Write> writes) {
    List<Response<?>> replies = new ArrayList<>(writes.size());
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (Write w : writes) {
        byte[] key = w.entry().key();
        byte[] plain;
        if (FieldMember.isField(key)) {
          replies.add(
              pipeline.eval(
                  FieldWrite.script(target.supportsFieldTtl()),
                  FieldWrite.keys(key),
                  FieldWrite.args(key, w.value().bytes(), w.ttlMillis(), false)));
        } else if ((plain = restoredString(w)) != null) {
          SetParams params = SetParams.setParams().nx();
          if (w.expireAtMillis() > 0) {
            params.pxAt(w.expireAtMillis());
          } else if (w.ttlMillis() > 0) {
            params.px(w.ttlMillis());
          }
          replies.add(pipeline.set(key, plain, params));
        } else if (w.value().kind() == LoadedValue.Kind.DUMP && w.expireAtMillis() > 0) {
          replies.add(
              pipeline.restore(
                  key,
                  w.expireAtMillis(),
                  w.value().bytes(),
                  RestoreParams.restoreParams().absTtl()));
        } else if (w.value().kind() == LoadedValue.Kind.DUMP) {
          replies.add(pipeline.restore(key, w.ttlMillis(), w.value().bytes()));
        } else {
          SetParams params = SetParams.setParams().nx();
          if (w.ttlMillis() > 0) {
            params.px(w.ttlMillis());
          }
          replies.add(pipeline.set(key, w.value().bytes(), params));
        }
      }
      pipeline.sync();
    }
    for (int i = 0; i < writes.size(); i++) {
      account(writes.get(i), replies.get(i));
    }
  }

  /**
   * The value of a restore whose payload is a plain string ({@link DumpPayload}), to be written
   * {@code SET key value NX PXAT|PX …} — the same bytes and expiry as {@code RESTORE} without
   * {@code REPLACE}, at the server's cheapest write; null to send the payload with {@code RESTORE}
   * (another type, a payload not read here, or an absolute expiry on a server before 6.2).
   */
  private byte[] restoredString(Write w) {
    if (w.value().kind() != LoadedValue.Kind.DUMP || w.expireAtMillis() > 0 && !setPxAt()) {
      return null;
    }
    return DumpPayload.stringValue(w.value().bytes());
  }

  /**
   * {@link RedisTarget#supportsSetPxAt}, asked once per writer; a server unreachable now gets
   * {@code RESTORE} for this write (which fails and retries as any write does) and is asked again.
   */
  private boolean setPxAt() {
    Boolean known = setPxAt;
    if (known == null) {
      try {
        known = target.supportsSetPxAt();
      } catch (JedisException e) {
        return false;
      }
      setPxAt = known;
    }
    return known;
  }

  private void account(Write w, Response<?> reply) {
    if (FieldMember.isField(w.entry().key())) {
      Object result;
      try {
        result = reply.get();
      } catch (JedisDataException e) {
        result = new RedisError(String.valueOf(e.getMessage()));
      }
      fieldWritten(w, result);
      return;
    }
    try {
      if (reply.get() != null) { // SET NX: "OK" or nil; RESTORE: "OK"
        wrote(w);
      } else {
        existed(w);
      }
    } catch (JedisDataException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("BUSYKEY")) {
        existed(w);
      } else {
        rejected(e.getMessage());
      }
    }
  }

  /** A field script's reply: written, existed, or (a non-hash key) the application's value. */
  private void fieldWritten(Write w, Object reply) {
    if (reply instanceof Long n && n == FieldWrite.WRITTEN) {
      wrote(w);
    } else if (reply instanceof Long n && n == FieldWrite.EXISTED) {
      existed(w);
    } else if (reply instanceof Long n && n == FieldWrite.NO_TTL) {
      // before Redis 7.4: no hash to write into safely (FieldWrite); nothing written, as for a
      // missing value
      counters.missing.incrementAndGet();
      if (counters.fieldsWithoutTtl.incrementAndGet() == 1) {
        WarmLog.warn(
            "hash fields are not warmed into a missing hash or one without a TTL on this server"
                + " (before Redis 7.4 a field has no TTL of its own); counted as missing");
      }
    } else if (reply instanceof RedisError e && FieldWrite.isApplicationValue(e.message())) {
      existed(w);
    } else {
      rejected(reply instanceof RedisError e ? e.message() : "unexpected reply to a field write");
    }
  }

  private void wrote(Write w) {
    if (w.entry().source() == PlanEntry.Source.SNAPSHOT) {
      counters.restored.incrementAndGet();
    } else {
      counters.warmed.incrementAndGet();
    }
    counters.bytesWritten.addAndGet(w.value().bytes().length);
    markPresent(w.entry());
  }

  private void existed(Write w) {
    counters.skippedExisting.incrementAndGet();
    markPresent(w.entry());
  }

  private void rejected(String error) {
    if (counters.failed.incrementAndGet() <= 3) {
      WarmLog.warn("write rejected: " + error);
    }
  }

  /** Loader-stored keys count as present without a write. */
  void markStoredByLoader(PlanEntry entry) {
    counters.warmed.incrementAndGet();
    markPresent(entry);
  }

  private void markPresent(PlanEntry entry) {
    counters.present(entry);
    if (trackPresent) {
      present.add(new KeyBytes(entry.key()));
    }
  }
}
