package dev.keywarm.agent.instrumentation.redisson;

import dev.keywarm.agent.flush.StatsTarget;
import net.bytebuddy.asm.Advice;
import org.redisson.client.RedisClientConfig;
import org.redisson.misc.RedisURI;

/** Exit advice on {@code RedisClient.create}: the first Redis the application configures. */
public final class RedissonClientAdvice {

  private RedissonClientAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.Argument(0) RedisClientConfig config) {
    RedisURI address = config.getAddress();
    if (address != null && address.getHost() != null) {
      StatsTarget.configured(address.getHost(), address.getPort(), address.isSsl());
    }
  }
}
