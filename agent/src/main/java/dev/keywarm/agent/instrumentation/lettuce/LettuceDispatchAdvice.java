package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.recording.CallRecord;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import net.bytebuddy.asm.Advice;

/**
 * Entry advice on {@code RedisChannelHandler.dispatch(RedisCommand)}: every command a user issues
 * through a Lettuce connection — sync, async or reactive, standalone or cluster — passes here once,
 * on the issuing thread. Nothing is stored per command but that thread (for co-access pairs) and,
 * for an MGET, a watch on its output; the command itself is read when it completes ({@link
 * LettuceCompletionAdvice}). Both happen before the command is written, since its reply can arrive
 * on an I/O thread before dispatch returns.
 */
public final class LettuceDispatchAdvice {

  private LettuceDispatchAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(@Advice.Argument(0) RedisCommand<?, ?, ?> command) {
    CallRecord call = CallRecord.begin(command.getType().getBytes());
    if (call != null) {
      call.issuing(CommandWrapper.unwrap(command));
      if (call.readsEachKey()) {
        LettuceReplies.expectValues(command.getOutput());
      }
    }
  }
}
