package dev.keywarm.agent.instrumentation.redisson;

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
 * {@code org.redisson.client.handler.CommandDecoder}: every reply Redisson decodes — of a single
 * command, of each command of a batch, of each queued command once {@code EXEC} returns — is handed
 * to {@code completeResponse(CommandData, Object)} on the Netty thread, with the command and its
 * parameters still readable (Redisson frees them only after the attempt completes). A list reply
 * passes {@code messageDecoder(CommandData, List)} first, with its nils still in place.
 */
public final class RedissonDecoderInstrumentation implements TypeInstrumentation {

  private static final String COMMAND_DATA = "org.redisson.client.protocol.CommandData";

  private static final ElementMatcher.Junction<MethodDescription> COMPLETE_RESPONSE =
      named("completeResponse")
          .and(takesArguments(2))
          .and(takesArgument(0, named(COMMAND_DATA)))
          .and(takesArgument(1, Object.class));

  private static final ElementMatcher.Junction<MethodDescription> MESSAGE_DECODER =
      named("messageDecoder")
          .and(takesArguments(2))
          .and(takesArgument(0, named(COMMAND_DATA)))
          .and(takesArgument(1, java.util.List.class));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.redisson.client.handler.CommandDecoder")
        .and(declaresMethod(COMPLETE_RESPONSE))
        .and(declaresMethod(MESSAGE_DECODER));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer
        .advice(COMPLETE_RESPONSE, RedissonCompletionAdvice.class.getName())
        .advice(MESSAGE_DECODER, RedissonListAdvice.class.getName());
  }
}
