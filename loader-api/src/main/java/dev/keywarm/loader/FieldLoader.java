package dev.keywarm.loader;

import java.util.ArrayList;
import java.util.List;

/**
 * Produces the value of one field of a Redis hash, the way the application would on an {@code HGET}
 * miss — for caches that keep entries as hash fields ({@code HGET user:42 profile}, Spring's
 * Redisson cache). Register it with {@link LoaderRegistry#registerFields}: the pattern is matched
 * against the <em>hash's key</em> ({@code user:*} loads every field of {@code user:42}), never
 * against the field. The warm-runner writes the result with {@code HSETNX key field value}, so a
 * field the application wrote meanwhile always wins.
 *
 * <p>A separate interface, not a method on {@link KeyLoader}: a key loader is never asked for a
 * field it does not know about, and a planned field whose hash key no field loader matches is
 * counted as {@code no-field-loader} (within {@code no-loader}), not as missing. A class may
 * implement both; it is registered for keys with {@link LoaderRegistry#register} and for fields
 * with {@link LoaderRegistry#registerFields}.
 *
 * <p>What may come back: {@link LoadedValue#of(byte[])} (the TTL as for keys: observed, the
 * pattern's, else the default), {@link LoadedValue#of(byte[], java.time.Duration)}, or {@link
 * LoadedValue#storedByLoader()}. A {@link LoadedValue#dump} is a whole key and cannot be a field:
 * counted as failed. The TTL is the field's own on Redis 7.4+ ({@code HPEXPIRE}); before 7.4 a hash
 * has one TTL for all its fields, so it is given to the hash only when this field's write created
 * the hash.
 *
 * <p>Implementations must be thread-safe and should respond to interruption, as {@link KeyLoader}s:
 * the same per-call timeout, failure and timeout rules apply (see {@link KeyLoader#load}).
 */
public interface FieldLoader {

  /**
   * Loads one field.
   *
   * @param key the hash's key
   * @param field the field within it
   * @return the value, or {@code null} if the field has no value (counted as missing, nothing
   *     written)
   * @throws Exception any failure; counted as failed (a timeout as timed out), as for {@link
   *     KeyLoader#load}
   */
  LoadedValue loadField(byte[] key, byte[] field) throws Exception;

  /**
   * Loads several fields (of one hash or of several) in one call. The default calls {@link
   * #loadField} for each; override together with {@link #fieldBatchSize()}.
   *
   * @return one entry per field, in the same order; {@code null} entries are missing fields
   */
  default List<LoadedValue> loadFields(List<HashField> fields) throws Exception {
    List<LoadedValue> values = new ArrayList<>(fields.size());
    for (HashField f : fields) {
      values.add(loadField(f.key(), f.field()));
    }
    return values;
  }

  /**
   * Most fields the runner passes to one {@link #loadFields} call; 1 means it calls {@link
   * #loadField}. (Not {@code batchSize}, so that one class can implement both interfaces.)
   */
  default int fieldBatchSize() {
    return 1;
  }
}
