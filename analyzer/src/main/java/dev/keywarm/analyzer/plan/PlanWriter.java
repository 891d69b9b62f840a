package dev.keywarm.analyzer.plan;

import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.plan.PlanCodec;
import dev.keywarm.schema.plan.WarmPlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Publishes a {@link WarmPlan} as a new generation for the warm-runner: {@link PlanCodec} decides
 * what is written in which order (the pointer last); this class sends it through Jedis pipelines.
 */
public final class PlanWriter {

  private final Jedis jedis;
  private final KeySchema schema;

  public PlanWriter(Jedis jedis, KeySchema schema) {
    this.jedis = jedis;
    this.schema = schema;
  }

  /**
   * @return the generation id now in {@code currentPlan()}
   */
  public String write(WarmPlan plan, Duration ttl, Instant now) {
    String generation = PlanCodec.newGeneration(now);
    PlanCodec.publish(plan, schema, generation, ttl, new PipelinedWrites());
    return generation;
  }

  /** The codec's writes, queued in one pipeline per {@link #sync()}. */
  private final class PipelinedWrites implements PlanCodec.Writes {

    private Pipeline pipeline;
    private final List<Response<?>> pending = new ArrayList<>();

    private Pipeline pipeline() {
      if (pipeline == null) {
        pipeline = jedis.pipelined();
      }
      return pipeline;
    }

    @Override
    public void zadd(String key, List<WarmPlan.Entry> entries) {
      Map<byte[], Double> members = new HashMap<>();
      entries.forEach(e -> members.put(e.member(), e.score()));
      pending.add(pipeline().zadd(bytes(key), members));
    }

    @Override
    public void hset(String key, Map<String, String> fields) {
      pending.add(pipeline().hset(key, fields));
    }

    @Override
    public void expire(String key, long seconds) {
      pending.add(pipeline().expire(key, seconds));
    }

    @Override
    public void set(String key, String value, long seconds) {
      pending.add(pipeline().set(key, value, SetParams.setParams().ex(seconds)));
    }

    @Override
    public void sync() {
      pipeline().sync();
      pipeline = null;
      for (Response<?> r : pending) {
        r.get(); // throws on an error reply
      }
      pending.clear();
    }
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
