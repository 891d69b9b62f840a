package dev.keywarm.agent.instrumentation.redisson;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.redisson.client.RedisClient.create(RedisClientConfig)}: Redisson builds one client per
 * Redis node it talks to, the first for the configured address (a cluster's first seed), so the
 * first one is the application's Redis — the default stats target, as for Lettuce.
 */
public final class RedissonClientInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> CREATE =
      named("create")
          .and(isStatic())
          .and(takesArguments(1))
          .and(takesArgument(0, named("org.redisson.client.RedisClientConfig")));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.redisson.client.RedisClient").and(declaresMethod(CREATE));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(CREATE, RedissonClientAdvice.class.getName());
  }
}
