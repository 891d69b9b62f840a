package dev.keywarm.agent.instrumentation.jedis;

import dev.keywarm.agent.recording.PendingReplies;
import net.bytebuddy.asm.Advice;

/** Exit advice on {@code Response.set(Object)}: the raw reply of a queued command has arrived. */
public final class JedisResponseSetAdvice {

  private JedisResponseSetAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.This Object response, @Advice.Argument(0) Object reply) {
    PendingReplies.replied(response, reply);
  }
}
