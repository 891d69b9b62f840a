package dev.keywarm.agent.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every concrete {@code Response appendCommand(CommandObject)} in Jedis: {@code Pipeline}, {@code
 * Transaction}, {@code ReliableTransaction}, the cluster and sharded pipelines — whatever a given
 * version calls them and wherever it declares the method. The command is remembered with its {@code
 * Response} and counted when the reply arrives ({@link JedisResponseInstrumentation}).
 */
public final class JedisPipelineInstrumentation implements TypeInstrumentation {

  private final JedisLibrary library;
  private final ElementMatcher.Junction<MethodDescription> appendCommand;

  public JedisPipelineInstrumentation(JedisLibrary library) {
    this.library = library;
    this.appendCommand =
        JedisMatchers.takesCommandObject(library, "appendCommand")
            .and(returns(named(library.type("Response"))))
            .and(not(isAbstract()));
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return nameStartsWith(library.root() + ".").and(declaresMethod(appendCommand));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(
        appendCommand,
        library.advice(JedisCommandEnterAdvice.class),
        library.advice(JedisQueuedExitAdvice.class));
  }
}
