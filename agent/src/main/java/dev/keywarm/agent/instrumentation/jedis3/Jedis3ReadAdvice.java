package dev.keywarm.agent.instrumentation.jedis3;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Exit advice on Jedis 3's {@code Connection.readProtocolWithCheckingBroken()}: one reply read. */
public final class Jedis3ReadAdvice {

  private Jedis3ReadAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.This Object connection,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object reply,
      @Advice.Thrown Throwable thrown) {
    Jedis3Replies.read(connection, thrown != null ? thrown : reply);
  }
}
