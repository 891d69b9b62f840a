package dev.keywarm.agent.instrumentation.jedis;

import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.PendingReplies;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Exit advice for a command queued in a pipeline or MULTI block: the outcome is not known yet, so
 * the record waits under its {@code Response} until {@link JedisResponseInstrumentation} sees the
 * reply arrive.
 */
public final class JedisQueuedExitAdvice {

  private JedisQueuedExitAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter CallRecord call,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response) {
    if (call != null) {
      PendingReplies.queued(call, response);
    }
  }
}
