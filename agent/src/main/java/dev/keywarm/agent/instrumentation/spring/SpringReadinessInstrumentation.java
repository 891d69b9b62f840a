package dev.keywarm.agent.instrumentation.spring;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.keywarm.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Spring Boot's {@code ApplicationAvailabilityBean} (Boot 2.3 and later): both {@code getState}
 * methods, through which Actuator's readiness health indicator and {@code getReadinessState()} read
 * the readiness state. See {@link ReadinessStateAdvice}.
 */
public final class SpringReadinessInstrumentation implements TypeInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> GET_STATE =
      named("getState").and(takesArgument(0, Class.class));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.springframework.boot.availability.ApplicationAvailabilityBean");
  }

  @Override
  public AgentBuilder.Transformer.ForAdvice transform(
      AgentBuilder.Transformer.ForAdvice transformer) {
    return transformer.advice(GET_STATE, ReadinessStateAdvice.class.getName());
  }
}
