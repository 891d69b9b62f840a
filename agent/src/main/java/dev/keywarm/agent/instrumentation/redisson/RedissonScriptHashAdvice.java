package dev.keywarm.agent.instrumentation.redisson;

import net.bytebuddy.asm.Advice;

/** Exit advice on {@code calcSHA(String)}: remembers what the script with this hash means. */
public final class RedissonScriptHashAdvice {

  private RedissonScriptHashAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.Argument(0) String script, @Advice.Return String sha) {
    RedissonScripts.hashed(script, sha);
  }
}
