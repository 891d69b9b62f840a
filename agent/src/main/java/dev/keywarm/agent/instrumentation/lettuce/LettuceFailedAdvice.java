package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.PendingReplies;
import io.lettuce.core.protocol.Command;
import net.bytebuddy.asm.Advice;

/**
 * Advice on {@code Command.completeExceptionally(Throwable)} and {@code Command.cancel()}: a failed or
 * cancelled command is counted as failed, never as a hit or a miss, and only if it was not done yet.
 */
public final class LettuceFailedAdvice {

  private LettuceFailedAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean onEnter(@Advice.This Command<?, ?, ?> command) {
    return command.isDone();
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.This Command<?, ?, ?> command, @Advice.Enter boolean wasDone) {
    if (wasDone) {
      return;
    }
    LettuceReplies.forget(command.getOutput());
    CallRecord call = CallRecord.begin(command.getType().getBytes());
    if (call != null) {
      call.complete(PendingReplies.FAILED, null);
    }
  }
}
