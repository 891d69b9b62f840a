package dev.keywarm.agent.instrumentation.jedis;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The Jedis 4.0+ hooks, for Jedis and for valkey-java ({@link JedisLibrary}). A client library is
 * one module; the recording core knows none of them.
 */
public final class JedisInstrumentationModule {

  private JedisInstrumentationModule() {}

  public static List<TypeInstrumentation> typeInstrumentations() {
    List<TypeInstrumentation> hooks = new ArrayList<>();
    for (JedisLibrary library : JedisLibrary.values()) {
      hooks.add(new JedisConnectionInstrumentation(library));
      hooks.add(new JedisPipelineInstrumentation(library));
      hooks.add(new JedisResponseInstrumentation(library));
      hooks.add(new JedisSocketFactoryInstrumentation(library));
    }
    return hooks;
  }
}
