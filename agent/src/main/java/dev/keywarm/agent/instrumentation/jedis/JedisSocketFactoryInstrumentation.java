package dev.keywarm.agent.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import java.net.Socket;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code DefaultJedisSocketFactory.createSocket()}: tells the agent which Redis the application
 * uses, the default stats target when no {@code redis} option is given.
 */
public final class JedisSocketFactoryInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> CREATE_SOCKET =
      named("createSocket").and(takesArguments(0)).and(returns(isSubTypeOf(Socket.class)));

  private final JedisLibrary library;

  public JedisSocketFactoryInstrumentation(JedisLibrary library) {
    this.library = library;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(library.type("DefaultJedisSocketFactory")).and(declaresMethod(CREATE_SOCKET));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(CREATE_SOCKET, library.advice(JedisSocketAdvice.class));
  }
}
