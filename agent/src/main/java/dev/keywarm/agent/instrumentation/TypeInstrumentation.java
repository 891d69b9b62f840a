package dev.keywarm.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One hooked library type: which classes it matches (by the methods they declare, never by a
 * version string) and which advice applies to which of their methods.
 */
public interface TypeInstrumentation {

  ElementMatcher<TypeDescription> typeMatcher();

  /** Adds this type's advice to {@code transformer}. */
  AgentBuilder.Transformer.ForAdvice transform(AgentBuilder.Transformer.ForAdvice transformer);
}
