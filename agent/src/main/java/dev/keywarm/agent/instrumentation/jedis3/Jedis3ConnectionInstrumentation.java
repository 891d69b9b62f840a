package dev.keywarm.agent.instrumentation.jedis3;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Jedis 3's {@code redis.clients.jedis.Connection}: every command is written by {@code
 * sendCommand(ProtocolCommand, byte[]...)} and every reply read by {@code
 * readProtocolWithCheckingBroken()}. Applies only where Jedis 4's {@code
 * executeCommand(CommandObject)} does not exist, so the two generations never both record.
 */
public final class Jedis3ConnectionInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> SEND =
      named("sendCommand")
          .and(takesArguments(2))
          .and(takesArgument(0, named("redis.clients.jedis.commands.ProtocolCommand")))
          .and(takesArgument(1, byte[][].class));
  private static final ElementMatcher.Junction<MethodDescription> READ =
      named("readProtocolWithCheckingBroken").and(takesArguments(0));
  private static final ElementMatcher.Junction<MethodDescription> DISCONNECT =
      named("disconnect").and(takesArguments(0));
  private static final ElementMatcher.Junction<MethodDescription> EXECUTE_COMMAND_OBJECT =
      named("executeCommand")
          .and(takesArguments(1))
          .and(takesArgument(0, named("redis.clients.jedis.CommandObject")));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("redis.clients.jedis.Connection")
        .and(declaresMethod(SEND))
        .and(declaresMethod(READ))
        .and(not(declaresMethod(EXECUTE_COMMAND_OBJECT)));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer
        .advice(SEND, Jedis3SendAdvice.class.getName())
        .advice(READ, Jedis3ReadAdvice.class.getName())
        .advice(DISCONNECT, Jedis3CloseAdvice.class.getName());
  }
}
