package dev.keywarm.agent.warm;

import dev.keywarm.agent.log.AgentLog;
import java.util.concurrent.TimeUnit;

/**
 * "Not ready while the start warm runs" ({@code readiness=auto} with {@code warm=on-start}): closed
 * when the agent launches the warm at JVM start, open again once the warm is ready (its coverage
 * target reached), ends in any way, or {@code readinesstimeout} passed — whichever comes first, so
 * a warm that hangs, fails or never finds its Redis can delay traffic by the timeout at most, never
 * forever. While it is closed, Spring Boot's readiness state reads {@code REFUSING_TRAFFIC} ({@code
 * SpringReadinessInstrumentation}), so {@code /actuator/health/readiness} answers 503 and a
 * Kubernetes readiness probe keeps the pod out of the Service; the application's own state is never
 * changed, only what is read while the gate is closed.
 */
public final class ReadinessGate {

  private static volatile boolean closed;
  private static volatile long deadlineNanos;

  /** Readiness was read as accepting traffic while the gate was open: a pod already serving. */
  private static volatile boolean servedReady;

  private ReadinessGate() {}

  /** Closes the gate for at most {@code timeoutMillis}. */
  public static void close(long timeoutMillis) {
    if (servedReady) {
      AgentLog.info(
          "readiness: the application was already accepting traffic when the start warm began;"
              + " not holding it back");
      return;
    }
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    closed = true;
    AgentLog.info(
        "readiness: refusing traffic while the start warm runs (at most "
            + timeoutMillis / 1000
            + " s)");
  }

  /** Opens the gate (idempotent); {@code why} goes to the log once. */
  public static void open(String why) {
    if (closed) {
      closed = false;
      AgentLog.info("readiness: accepting traffic (" + why + ")");
    }
  }

  /** True while readiness must read "refusing traffic". Called from advice: cheap, never throws. */
  public static boolean refusing() {
    if (!closed) {
      return false;
    }
    if (System.nanoTime() - deadlineNanos >= 0) {
      open("the readiness timeout passed before the warm was ready");
      return false;
    }
    return true;
  }

  /** The readiness state was read as {@code state} with the gate open (from advice). */
  public static void readOpen(Object state) {
    if (!servedReady && !closed && "ACCEPTING_TRAFFIC".equals(String.valueOf(state))) {
      servedReady = true; // a gate closed from now on would take a serving pod out of the Service
    }
  }

  /** {@code REFUSING_TRAFFIC} of the application's {@code ReadinessState} enum. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object refusingState(Class<?> readinessState) {
    return Enum.valueOf((Class) readinessState, "REFUSING_TRAFFIC");
  }
}
