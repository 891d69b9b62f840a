package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.PendingReplies;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.Command;
import net.bytebuddy.asm.Advice;

/**
 * Advice on {@code Command.complete()}, {@code completeExceptionally(Throwable)} and {@code
 * cancel()}: the command has ended. The command still holds its arguments, so a completed one is
 * read here, on the I/O thread, into that thread's scratch record: nothing is kept per command in
 * flight. An error reply, a failure or a cancellation is counted as failed, never as a hit or a
 * miss (and its keys are invalidated for the snapshot if it could have written). A command that was
 * already done is not counted again.
 */
public final class LettuceCompletionAdvice {

  private LettuceCompletionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean onEnter(@Advice.This Command<?, ?, ?> command) {
    return command.isDone();
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(
      @Advice.This Command<?, ?, ?> command,
      @Advice.Enter boolean wasDone,
      @Advice.Origin("#m") String method) {
    if (wasDone) {
      return;
    }
    CommandOutput<?, ?, ?> output = command.getOutput();
    boolean failed = !method.equals("complete") || output != null && output.getError() != null;
    if (failed) {
      LettuceReplies.forget(output);
    }
    CallRecord call = CallRecord.begin(command.getType().getBytes());
    if (call == null) {
      return;
    }
    if (failed) {
      // its keys too: a write that failed, timed out or was cancelled may still have landed
      LettuceArguments.read(call, command.getArgs());
      call.complete(PendingReplies.FAILED, null);
    } else {
      call.issuedBy(command);
      LettuceArguments.read(call, command.getArgs());
      call.complete(output == null ? null : LettuceReplies.reply(output, output.get()), null);
    }
  }
}
