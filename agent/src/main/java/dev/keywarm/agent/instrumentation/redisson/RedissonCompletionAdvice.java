package dev.keywarm.agent.instrumentation.redisson;

import net.bytebuddy.asm.Advice;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.RedisCommand;

/**
 * Entry advice on {@code CommandDecoder.completeResponse(CommandData, Object)}: one attempt of a
 * command got its reply (error replies fail the command elsewhere and are never seen here). The
 * command is read now, on the Netty thread, into that thread's scratch record — nothing is kept per
 * command in flight. An attempt whose promise is already done (it timed out and was retried) is not
 * counted again.
 */
public final class RedissonCompletionAdvice {

  private RedissonCompletionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(
      @Advice.Argument(0) CommandData<Object, Object> data, @Advice.Argument(1) Object result) {
    if (data == null || data.getPromise().isDone()) {
      return;
    }
    RedisCommand<?> command = data.getCommand();
    RedissonCommands.completed(
        data,
        command.getName(),
        command.getSubName(),
        command.getConvertor(),
        data.getParams(),
        result);
  }
}
