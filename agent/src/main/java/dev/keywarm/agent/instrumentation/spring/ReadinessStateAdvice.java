package dev.keywarm.agent.instrumentation.spring;

import dev.keywarm.agent.warm.ReadinessGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Exit advice on Spring Boot's {@code ApplicationAvailabilityBean.getState(Class…)}: while the
 * {@link ReadinessGate} is closed, a read of the readiness state answers {@code REFUSING_TRAFFIC};
 * every other read (liveness, or the gate open) returns what the application's state says.
 */
public final class ReadinessStateAdvice {

  private ReadinessStateAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(
      @Advice.Argument(0) Class<?> type,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object state) {
    if (state != null
        && type != null
        && type.getName().equals("org.springframework.boot.availability.ReadinessState")) {
      if (ReadinessGate.refusing()) {
        state = ReadinessGate.refusingState(type);
      } else {
        ReadinessGate.readOpen(state);
      }
    }
  }
}
