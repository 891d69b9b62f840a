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
 * {@code io.lettuce.core.RedisChannelHandler.dispatch(RedisCommand)}: the base-class method through
 * which standalone and cluster connections (they override dispatch and call it) send each user
 * command exactly once. Cluster redirections (MOVED/ASK) and reconnect retries are re-written below
 * this point, so they are not counted again; Lettuce's handshake never passes here.
 */
public final class LettuceDispatchInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> DISPATCH =
      named("dispatch")
          .and(takesArguments(1))
          .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand")));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.RedisChannelHandler").and(declaresMethod(DISPATCH));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(DISPATCH, LettuceDispatchAdvice.class.getName());
  }
}
