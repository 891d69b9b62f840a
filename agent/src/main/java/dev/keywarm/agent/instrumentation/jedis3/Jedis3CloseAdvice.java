package dev.keywarm.agent.instrumentation.jedis3;

import net.bytebuddy.asm.Advice;

/** Exit advice on Jedis 3's {@code Connection.disconnect()}: its FIFO is no longer needed. */
public final class Jedis3CloseAdvice {

  private Jedis3CloseAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.This Object connection) {
    Jedis3Replies.closed(connection);
  }
}
