package dev.keywarm.agent.instrumentation.redisson;

import net.bytebuddy.asm.Advice;
import org.redisson.client.protocol.RedisCommand;

/** Exit advice on the {@code RedisExecutor} constructor: the calling thread issues this call. */
public final class RedissonExecutorAdvice {

  private RedissonExecutorAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(
      @Advice.Argument(3) RedisCommand<?> command, @Advice.Argument(4) Object[] params) {
    if (command != null) {
      RedissonCommands.issued(command.getName(), params);
    }
  }
}
