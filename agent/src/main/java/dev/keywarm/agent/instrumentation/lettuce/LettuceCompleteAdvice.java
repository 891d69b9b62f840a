package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.PendingReplies;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.Command;
import net.bytebuddy.asm.Advice;

/**
 * Advice on {@code Command.complete()}: the reply (or error reply) of a command is in. The command
 * still holds its arguments, so it is read here, on the I/O thread, into that thread's scratch record:
 * nothing is kept per command in flight. A command that was already done is not counted again.
 */
public final class LettuceCompleteAdvice {

  private LettuceCompleteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean onEnter(@Advice.This Command<?, ?, ?> command) {
    return command.isDone();
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.This Command<?, ?, ?> command, @Advice.Enter boolean wasDone) {
    if (wasDone) {
      return;
    }
    CallRecord call = CallRecord.begin(command.getType().getBytes());
    if (call != null) {
      call.issuedBy(command);
      LettuceArguments.read(call, command.getArgs());
      CommandOutput<?, ?, ?> output = command.getOutput();
      Object reply = output == null ? null
          : output.getError() != null ? PendingReplies.FAILED : LettuceReplies.reply(output, output.get());
      call.complete(reply, null);
    }
  }
}
