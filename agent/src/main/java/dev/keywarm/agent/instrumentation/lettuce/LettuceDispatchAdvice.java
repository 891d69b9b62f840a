package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.recording.CallRecord;
import dev.keywarm.agent.recording.PendingReplies;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import net.bytebuddy.asm.Advice;

/**
 * Entry advice on {@code RedisChannelHandler.dispatch(RedisCommand)}: every command a user issues
 * through a Lettuce connection — sync, async or reactive, standalone or cluster — passes here once.
 * The command is registered under its innermost {@code Command} <em>before</em> it is written, since
 * its reply can arrive on an I/O thread before dispatch returns; {@link LettuceCommandInstrumentation}
 * resolves it on completion.
 */
public final class LettuceDispatchAdvice {

  private LettuceDispatchAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(@Advice.Argument(0) RedisCommand<?, ?, ?> command) {
    CallRecord call = CallRecord.begin(command.getType().getBytes());
    if (call != null) {
      LettuceArguments.read(call, command.getArgs());
      if (call.readsEachKey()) {
        LettuceReplies.expectValues(command.getOutput());
      }
      PendingReplies.queued(call, CommandWrapper.unwrap(command));
    }
  }
}
