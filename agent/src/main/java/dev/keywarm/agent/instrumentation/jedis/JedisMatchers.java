package dev.keywarm.agent.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Method shapes shared by the Jedis hooks: Jedis 4 put every command into a CommandObject. */
final class JedisMatchers {

  private JedisMatchers() {}

  /** {@code m(CommandObject)}: the single argument every Jedis 4+ execution path passes. */
  static ElementMatcher.Junction<MethodDescription> takesCommandObject(
      JedisLibrary library, String name) {
    return named(name)
        .and(takesArguments(1))
        .and(takesArgument(0, named(library.type("CommandObject"))));
  }
}
