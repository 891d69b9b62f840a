package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.recording.PendingReplies;
import io.lettuce.core.protocol.Command;
import net.bytebuddy.asm.Advice;

/**
 * Exit advice on {@code Command.completeExceptionally(Throwable)} and {@code Command.cancel()}: a
 * failed or cancelled command is counted as failed, never as a hit or a miss.
 */
public final class LettuceFailedAdvice {

  private LettuceFailedAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.This Command<?, ?, ?> command) {
    if (!PendingReplies.isEmpty()) {
      LettuceReplies.forget(command.getOutput());
      PendingReplies.replied(command, PendingReplies.FAILED);
    }
  }
}
