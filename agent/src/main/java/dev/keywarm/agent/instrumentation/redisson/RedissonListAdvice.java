package dev.keywarm.agent.instrumentation.redisson;

import java.util.List;
import net.bytebuddy.asm.Advice;
import org.redisson.client.protocol.CommandData;

/**
 * Entry advice on {@code CommandDecoder.messageDecoder(CommandData, List)}: a list reply is about
 * to be decoded, its nils still in place — Redisson turns an {@code MGET} or {@code HMGET} reply
 * into a map of the values found, so which positions were nil is read here ({@link
 * RedissonReplies}).
 */
public final class RedissonListAdvice {

  private RedissonListAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(
      @Advice.Argument(0) CommandData<Object, Object> data,
      @Advice.Argument(1) List<Object> parts) {
    if (data != null) {
      RedissonReplies.listDecoded(data, data.getCommand().getName(), parts);
    }
  }
}
