package dev.keywarm.agent.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code redis.clients.jedis.Connection.executeCommand(CommandObject)}: the one method through
 * which every synchronous Jedis 4+ command passes and returns its reply — {@code Jedis}, pooled
 * resources, {@code JedisPooled}/{@code UnifiedJedis} and each attempt of {@code JedisCluster}. A
 * cluster attempt that is redirected (MOVED/ASK) throws and is not counted; the attempt that
 * answers is. The same for valkey-java's {@code io.valkey.Connection} ({@link JedisLibrary}).
 */
public final class JedisConnectionInstrumentation implements TypeInstrumentation {

  private final JedisLibrary library;

  public JedisConnectionInstrumentation(JedisLibrary library) {
    this.library = library;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(library.type("Connection"))
        .and(declaresMethod(JedisMatchers.takesCommandObject(library, "executeCommand")));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(
        JedisMatchers.takesCommandObject(library, "executeCommand"),
        library.advice(JedisCommandEnterAdvice.class),
        library.advice(JedisReplyExitAdvice.class));
  }
}
