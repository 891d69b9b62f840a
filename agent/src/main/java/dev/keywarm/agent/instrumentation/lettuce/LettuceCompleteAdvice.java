package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.recording.PendingReplies;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.Command;
import net.bytebuddy.asm.Advice;

/** Exit advice on {@code Command.complete()}: the reply (or error reply) of a command is in. */
public final class LettuceCompleteAdvice {

  private LettuceCompleteAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.This Command<?, ?, ?> command) {
    if (!PendingReplies.isEmpty()) {
      CommandOutput<?, ?, ?> output = command.getOutput();
      Object reply = output == null ? null
          : output.getError() != null ? PendingReplies.FAILED : LettuceReplies.reply(output, output.get());
      PendingReplies.replied(command, reply);
    }
  }
}
