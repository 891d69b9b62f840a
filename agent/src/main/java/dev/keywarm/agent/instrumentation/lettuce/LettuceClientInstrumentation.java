package dev.keywarm.agent.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The constructors of Lettuce's two clients: which Redis the application uses. */
public final class LettuceClientInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.RedisClient")
        .or(named("io.lettuce.core.cluster.RedisClusterClient"));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(isConstructor(), LettuceClientAdvice.class.getName());
  }
}
