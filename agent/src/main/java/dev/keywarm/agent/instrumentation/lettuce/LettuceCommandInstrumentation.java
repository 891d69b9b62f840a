package dev.keywarm.agent.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.lettuce.core.protocol.Command}: the innermost command that every wrapper (AsyncCommand
 * for sync and async calls, the reactive SubscriptionCommand, cluster and transaction wrappers)
 * completes once its reply is decoded. {@code complete()} carries the reply; a failure or a
 * cancellation ends the command without one.
 */
public final class LettuceCommandInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> COMPLETE =
      named("complete").and(takesArguments(0));
  private static final ElementMatcher.Junction<MethodDescription> ENDED =
      COMPLETE
          .or(
              named("completeExceptionally")
                  .and(takesArguments(1))
                  .and(takesArgument(0, Throwable.class)))
          .or(named("cancel").and(takesArguments(0)));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.protocol.Command").and(declaresMethod(COMPLETE));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(ENDED, LettuceCompletionAdvice.class.getName());
  }
}
