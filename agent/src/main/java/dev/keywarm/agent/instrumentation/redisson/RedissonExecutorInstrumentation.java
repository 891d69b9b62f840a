package dev.keywarm.agent.instrumentation.redisson;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.redisson.command.RedisExecutor}: one per user call (sync, async, reactive, RxJava),
 * built on the calling thread with the parameter array every attempt of the call then sends. Its
 * constructor notes that thread, so the reads decoded later on a Netty thread pair with the
 * caller's other reads.
 */
public final class RedissonExecutorInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> CONSTRUCTOR =
      isConstructor()
          .and(takesArgument(3, named("org.redisson.client.protocol.RedisCommand")))
          .and(takesArgument(4, Object[].class));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.redisson.command.RedisExecutor")
        .and(net.bytebuddy.matcher.ElementMatchers.declaresMethod(CONSTRUCTOR));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(CONSTRUCTOR, RedissonExecutorAdvice.class.getName());
  }
}
