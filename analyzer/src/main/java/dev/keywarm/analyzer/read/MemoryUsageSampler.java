package dev.keywarm.analyzer.read;

import dev.keywarm.schema.FieldMember;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Value sizes from the cache Redis itself: {@code MEMORY USAGE key} (bytes the key and its value
 * take in that server, including overhead; exact for strings, sampled by Redis for large
 * aggregates), pipelined in batches of {@value #BATCH}. Read-only: it never touches a value.
 */
public final class MemoryUsageSampler implements ValueSizes {

  static final int BATCH = 500;
  private final Jedis cache;
  private final String source;

  public MemoryUsageSampler(Jedis cache, String source) {
    this.cache = cache;
    this.source = source;
  }

  @Override
  public long[] sizes(List<byte[]> keys) {
    long[] sizes = new long[keys.size()];
    for (int from = 0; from < keys.size(); from += BATCH) {
      Pipeline p = cache.pipelined();
      List<Response<Long>> replies = new ArrayList<>();
      List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
      for (byte[] key : batch) {
        // a hash field (FieldMember) is no key: its value's and its name's bytes, the part of its
        // hash it costs (a hash's own overhead is not shared out); 0 from HSTRLEN: no such field
        replies.add(
            FieldMember.isField(key)
                ? p.hstrlen(FieldMember.key(key), FieldMember.field(key))
                : p.memoryUsage(key));
      }
      p.sync();
      for (int i = 0; i < replies.size(); i++) {
        Long bytes = replies.get(i).get();
        byte[] key = batch.get(i);
        if (FieldMember.isField(key)) {
          sizes[from + i] =
              bytes == null || bytes == 0 ? -1 : bytes + FieldMember.field(key).length;
        } else {
          sizes[from + i] = bytes == null ? -1 : bytes;
        }
      }
    }
    return sizes;
  }

  @Override
  public String source() {
    return "MEMORY USAGE on " + source;
  }
}
