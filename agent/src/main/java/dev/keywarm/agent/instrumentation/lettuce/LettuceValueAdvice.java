package dev.keywarm.agent.instrumentation.lettuce;

import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;

/**
 * Exit advice on {@code KeyValueListOutput.set(ByteBuffer)}: one MGET value decoded (null: nil).
 */
public final class LettuceValueAdvice {

  private LettuceValueAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.This Object output, @Advice.Argument(0) ByteBuffer bytes) {
    LettuceReplies.valueDecoded(output, bytes != null);
  }
}
