package dev.keywarm.agent.instrumentation.redisson;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import java.util.List;

/** The Redisson 3.x hooks (package {@code org.redisson}). */
public final class RedissonInstrumentationModule {

  private RedissonInstrumentationModule() {}

  public static List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new RedissonClientInstrumentation(),
        new RedissonExecutorInstrumentation(),
        new RedissonDecoderInstrumentation(),
        new RedissonScriptHashInstrumentation());
  }
}
