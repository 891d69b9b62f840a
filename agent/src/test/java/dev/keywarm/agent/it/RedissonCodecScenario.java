package dev.keywarm.agent.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Objects;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.StringCodec;

/**
 * Redisson with its default codec (JBoss Marshalling in 3.17, Kryo 5 in 3.50): a map's field is
 * recorded as the bytes that codec sent, printed here as {@code field=<hex>}; and batches, plain
 * and atomic ({@code MULTI}/{@code EXEC}), each command counted once. Args: redisUri namespace.
 */
public final class RedissonCodecScenario {

  public static void main(String[] args) throws Exception {
    RedissonClient client = RedissonScenario.client("standalone", args[0]);
    String s = args[1];
    try {
      Codec codec = client.getConfig().getCodec();
      RMap<Object, Object> map = client.getMap(s + ":codec:h");
      require(map.get("profile") == null, "a miss");
      map.fastPut("profile", "ada");
      require("ada".equals(map.get("profile")), "a hit");
      ByteBuf field = codec.getMapKeyEncoder().encode("profile");
      System.out.println("codec=" + codec.getClass().getSimpleName());
      System.out.println("field=" + ByteBufUtil.hexDump(field));
      field.release();

      batch(client, s + ":batch", BatchOptions.defaults());
      batch(
          client,
          s + ":atomic",
          BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
    } finally {
      client.shutdown();
    }
    System.out.println("scenario done");
  }

  /** In one batch: a bucket miss, its set, a hit; a map field's miss, put, hit. */
  private static void batch(RedissonClient client, String s, BatchOptions options) {
    RBatch batch = client.createBatch(options);
    RFuture<Object> miss = batch.getBucket(s + ":k", StringCodec.INSTANCE).getAsync();
    batch.getBucket(s + ":k", StringCodec.INSTANCE).setAsync("v");
    RFuture<Object> hit = batch.getBucket(s + ":k", StringCodec.INSTANCE).getAsync();
    RFuture<Object> fieldMiss = batch.getMap(s + ":h", StringCodec.INSTANCE).getAsync("f");
    batch.getMap(s + ":h", StringCodec.INSTANCE).fastPutAsync("f", "v");
    RFuture<Object> fieldHit = batch.getMap(s + ":h", StringCodec.INSTANCE).getAsync("f");
    batch.execute();
    require(miss.toCompletableFuture().join() == null, s + " miss");
    require("v".equals(hit.toCompletableFuture().join()), s + " hit");
    require(fieldMiss.toCompletableFuture().join() == null, s + " field miss");
    require(Objects.equals("v", fieldHit.toCompletableFuture().join()), s + " field hit");
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("the sequence went wrong: " + what);
    }
  }
}
