package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import java.util.List;

/** The Lettuce 5.1+ hooks (package {@code io.lettuce.core}). */
public final class LettuceInstrumentationModule {

  private LettuceInstrumentationModule() {}

  public static List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new LettuceDispatchInstrumentation(),
        new LettuceCommandInstrumentation(),
        new LettuceClientInstrumentation(),
        new LettuceOutputInstrumentation());
  }
}
