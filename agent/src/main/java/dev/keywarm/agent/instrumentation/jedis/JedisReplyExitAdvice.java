package dev.keywarm.agent.instrumentation.jedis;

import dev.keywarm.agent.recording.CallRecord;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Exit advice for a synchronous command: its built reply (or exception) decides the outcome. */
public final class JedisReplyExitAdvice {

  private JedisReplyExitAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter CallRecord call,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object reply,
      @Advice.Thrown Throwable thrown) {
    if (call != null) {
      call.complete(reply, thrown);
    }
  }
}
