package dev.keywarm.agent.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import java.nio.ByteBuffer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.lettuce.core.output.KeyValueListOutput.set(ByteBuffer)}: where an MGET's values are
 * decoded one by one — the only place a reactive MGET's values can be seen, since they stream to
 * the subscriber rather than into the output.
 */
public final class LettuceOutputInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> SET =
      named("set").and(takesArguments(1)).and(takesArgument(0, ByteBuffer.class));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.output.KeyValueListOutput").and(declaresMethod(SET));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(SET, LettuceValueAdvice.class.getName());
  }
}
