package dev.keywarm.agent.instrumentation.jedis3;

import net.bytebuddy.asm.Advice;
import redis.clients.jedis.commands.ProtocolCommand;

/** Advice on Jedis 3's {@code Connection.sendCommand(ProtocolCommand, byte[]...)}. */
public final class Jedis3SendAdvice {

  private Jedis3SendAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(
      @Advice.This Object connection,
      @Advice.Argument(0) ProtocolCommand command,
      @Advice.Argument(1) byte[][] arguments) {
    Jedis3Replies.sent(connection, command.getRaw(), arguments);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      Jedis3Replies.sendFailed(connection);
    }
  }
}
