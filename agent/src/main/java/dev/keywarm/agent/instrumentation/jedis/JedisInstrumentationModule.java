package dev.keywarm.agent.instrumentation.jedis;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import java.util.List;

/** The Jedis 4.0+ hooks. A client library is one module; the recording core knows none of them. */
public final class JedisInstrumentationModule {

  private JedisInstrumentationModule() {}

  public static List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new JedisConnectionInstrumentation(),
        new JedisPipelineInstrumentation(),
        new JedisResponseInstrumentation(),
        new JedisSocketFactoryInstrumentation());
  }
}
