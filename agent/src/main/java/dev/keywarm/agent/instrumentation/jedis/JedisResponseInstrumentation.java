package dev.keywarm.agent.instrumentation.jedis;

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
 * {@code redis.clients.jedis.Response.set(Object)}: a pipeline or EXEC hands each queued command
 * its raw reply here, before the application ever calls {@code get()} — so the outcome is counted
 * even if the application never reads it.
 */
public final class JedisResponseInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> SET =
      named("set").and(takesArguments(1)).and(takesArgument(0, Object.class));

  private final JedisLibrary library;

  public JedisResponseInstrumentation(JedisLibrary library) {
    this.library = library;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(library.type("Response")).and(declaresMethod(SET));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(SET, library.advice(JedisResponseSetAdvice.class));
  }
}
