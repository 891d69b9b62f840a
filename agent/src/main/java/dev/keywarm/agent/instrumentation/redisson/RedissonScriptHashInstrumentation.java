package dev.keywarm.agent.instrumentation.redisson;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code calcSHA(String)}: with {@code useScriptCache} (the default from 3.2x on) Redisson sends
 * {@code EVALSHA <sha1>}, and the command carries at most 200 characters of the script — too few to
 * tell {@code RMapCache.get} from {@code remove}. The script's hash is computed here from its full
 * text ({@code ServiceManager} in 3.50, {@code CommandAsyncService} in 3.17), so the script is
 * recognised once and remembered by its hash ({@link RedissonScripts}).
 */
public final class RedissonScriptHashInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> CALC_SHA =
      named("calcSHA").and(takesArguments(String.class)).and(returns(String.class));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return nameStartsWith("org.redisson.").and(declaresMethod(CALC_SHA));
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(CALC_SHA, RedissonScriptHashAdvice.class.getName());
  }
}
