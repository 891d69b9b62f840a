package dev.keywarm.loader;

import java.util.ArrayList;
import java.util.List;

/**
 * Produces the cache value for a key, the way the application would on a miss. The warm-runner
 * calls it for each planned key that matches the pattern it was registered under, and writes the
 * result with {@code SET key value NX PX ttl}: a value the application wrote meanwhile always wins.
 *
 * <p>Implementations must be thread-safe (the runner calls them from several threads) and should
 * respond to interruption: a call that outlives the runner's per-call timeout is counted as timed
 * out, its result discarded, and its thread interrupted.
 *
 * <p>A key loader loads plain keys only; the fields of a hash cache ({@code HGET user:42 profile})
 * are loaded by a {@link FieldLoader}, registered apart ({@link LoaderRegistry#registerFields}).
 */
public interface KeyLoader {

  /**
   * Loads one key.
   *
   * @return the value, or {@code null} if the key has no value (counted as missing, nothing
   *     written)
   * @throws Exception any failure; the key is counted as failed and skipped (a timeout — {@code
   *     java.net.http.HttpTimeoutException}, {@code SocketTimeoutException}, {@code
   *     java.util.concurrent.TimeoutException}, {@code java.sql.SQLTimeoutException} or an
   *     exception caused by one — is counted as timed out, and only timeouts and slow calls lower
   *     the warm's concurrency)
   */
  LoadedValue load(byte[] key) throws Exception;

  /**
   * Loads several keys in one call (one query, one round trip). The default calls {@link #load} for
   * each; override together with {@link #batchSize()}.
   *
   * @return one entry per key, in the same order; {@code null} entries are missing keys
   */
  default List<LoadedValue> loadAll(List<byte[]> keys) throws Exception {
    List<LoadedValue> values = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      values.add(load(key));
    }
    return values;
  }

  /** Most keys the runner passes to one {@link #loadAll} call; 1 means it calls {@link #load}. */
  default int batchSize() {
    return 1;
  }
}
