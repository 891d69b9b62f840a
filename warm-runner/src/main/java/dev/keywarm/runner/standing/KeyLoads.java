package dev.keywarm.runner.standing;

import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.engine.CallOutcome;
import dev.keywarm.runner.engine.RateLimiter;
import dev.keywarm.runner.loading.HttpTemplateLoader;
import dev.keywarm.runner.loading.LoaderTable;
import dev.keywarm.runner.loading.RedisCopyLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The standing warm's loader calls, from the scheduler thread, in batches as a warm makes them
 * (queued keys of one loader, up to its {@code batchSize()}, in one {@code loadAll}): a token of
 * the shared rate ({@code standingrate}, {@link RateLimiter}) per call, the call on a load thread
 * and waited for at most the warm's call timeout. At most {@value #LOAD_THREADS} threads and no
 * queue, as in the re-warm on delete: a loader that hangs past its timeout (ignoring the interrupt)
 * holds one thread, never the scheduler, and calls never pile up.
 */
final class KeyLoads implements AutoCloseable {

  static final int LOAD_THREADS = 4;

  enum Outcome {
    LOADED,
    NO_LOADER,
    MISSING,
    FAILED,
    TIMED_OUT
  }

  /** A call's end; {@code value} and {@code loader} only with {@link Outcome#LOADED}. */
  record Loaded(Outcome outcome, LoadedValue value, LoaderTable.Entry loader) {}

  private final LoaderTable loaders;
  private final RateLimiter rate;
  private final long timeoutMillis;
  private final ExecutorService threads;

  KeyLoads(LoaderTable loaders, double perSecond, Duration callTimeout, String app) {
    this.loaders = loaders;
    this.rate = new RateLimiter(perSecond);
    this.timeoutMillis = callTimeout.toMillis();
    this.threads =
        new ThreadPoolExecutor(
            1,
            LOAD_THREADS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "keywarm-standing-load-" + app);
              t.setDaemon(true);
              return t;
            });
  }

  /** True if a loader is registered for {@code key} (a truncated stored key has none). */
  boolean hasLoader(byte[] key) {
    return loaderOf(key) != null;
  }

  /**
   * The loader of {@code key} (a plain key, or a hash field by its hash's key), or null: none
   * matches, or the stored key — or field — is truncated, so not the application's own.
   */
  LoaderTable.Entry loaderOf(byte[] key) {
    return LoaderTable.isTruncated(key) ? null : loaders.find(key);
  }

  /**
   * True if {@code loader} returns the value as bytes, so it can be compared-and-set; false for a
   * copy loader (dumps) and an HTTP loader with {@code store=none} (the endpoint writes the cache).
   * Known before any call.
   */
  static boolean returnsBytes(LoaderTable.Entry loader) {
    Object l = loader.implementation();
    return !(l instanceof RedisCopyLoader)
        && !(l instanceof HttpTemplateLoader http && http.storesItself());
  }

  /** Most keys of one call to {@code loader}: its {@code batchSize()}, at least 1. */
  static int batchSize(LoaderTable.Entry loader) {
    return loader.batchSize();
  }

  /** Loads {@code key} through its loader, after waiting for a token of the rate. */
  Loaded load(byte[] key) throws InterruptedException {
    LoaderTable.Entry loader = loaderOf(key);
    if (loader == null) {
      return new Loaded(Outcome.NO_LOADER, null, null);
    }
    return loadAll(loader, List.of(key)).get(0);
  }

  /**
   * Loads {@code keys}, all {@code loader}'s, in one call ({@code load} for one key, {@code
   * loadAll} for more, as a warm does): one token of the rate per call, the whole call within the
   * call timeout. One result per key, in order.
   */
  List<Loaded> loadAll(LoaderTable.Entry loader, List<byte[]> keys) throws InterruptedException {
    if (!rate.acquire(1)) {
      throw new InterruptedException("standing warm closed");
    }
    Future<List<LoadedValue>> call;
    try {
      call = threads.submit(() -> loader.loadAll(keys));
    } catch (RejectedExecutionException e) {
      return all(keys, Outcome.FAILED, loader); // every thread held by a hung loader
    }
    try {
      List<LoadedValue> values = call.get(timeoutMillis, TimeUnit.MILLISECONDS);
      if (values == null || values.size() != keys.size()) {
        return all(keys, Outcome.FAILED, loader); // a loader that broke its contract
      }
      List<Loaded> out = new ArrayList<>(keys.size());
      for (LoadedValue value : values) {
        out.add(
            value == null
                ? new Loaded(Outcome.MISSING, null, loader)
                : new Loaded(Outcome.LOADED, value, loader));
      }
      return out;
    } catch (TimeoutException e) {
      call.cancel(true);
      return all(keys, Outcome.TIMED_OUT, loader);
    } catch (ExecutionException e) {
      return all(
          keys,
          CallOutcome.of(e.getCause()) == CallOutcome.TIMED_OUT
              ? Outcome.TIMED_OUT
              : Outcome.FAILED,
          loader);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    }
  }

  private static List<Loaded> all(List<byte[]> keys, Outcome outcome, LoaderTable.Entry loader) {
    List<Loaded> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      out.add(new Loaded(outcome, null, loader));
    }
    return out;
  }

  /** True if {@code loaded} has a value; else counts why not in {@code counters}. */
  static boolean loadedElseCount(Loaded loaded, TechniqueCounters counters) {
    switch (loaded.outcome()) {
      case LOADED -> {
        return true;
      }
      case NO_LOADER -> counters.noLoader.incrementAndGet();
      case MISSING -> counters.missing.incrementAndGet();
      case TIMED_OUT -> counters.timedOut.incrementAndGet();
      default -> counters.failed.incrementAndGet();
    }
    return false;
  }

  /** Waits up to {@code millis} for the load threads to end (after {@link #close}). */
  void awaitClosed(long millis) throws InterruptedException {
    threads.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
