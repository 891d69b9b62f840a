package dev.keywarm.agent.instrumentation.jedis;

import dev.keywarm.agent.flush.StatsTarget;
import java.net.Socket;
import net.bytebuddy.asm.Advice;

/** Exit advice on the socket factory: the application's first Redis is the default stats target. */
public final class JedisSocketAdvice {

  private JedisSocketAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.Return Socket socket) {
    StatsTarget.connected(socket);
  }
}
