package dev.keywarm.agent.instrumentation.lettuce;

import dev.keywarm.agent.flush.StatsTarget;
import io.lettuce.core.RedisURI;
import net.bytebuddy.asm.Advice;

/**
 * Exit advice on the constructors of {@code RedisClient} and {@code RedisClusterClient}: the first
 * Redis the application configures is the default stats target (for a cluster, its first seed; the
 * flusher follows MOVED to the node that owns the app's hash tag).
 */
public final class LettuceClientAdvice {

  private LettuceClientAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.AllArguments Object[] arguments) {
    for (Object argument : arguments) {
      RedisURI uri = null;
      if (argument instanceof RedisURI) {
        uri = (RedisURI) argument;
      } else if (argument instanceof Iterable) {
        for (Object element : (Iterable<?>) argument) {
          if (element instanceof RedisURI) {
            uri = (RedisURI) element;
            break;
          }
        }
      }
      if (uri != null && uri.getHost() != null) {
        StatsTarget.configured(uri.getHost(), uri.getPort(), uri.isSsl());
        return;
      }
    }
  }
}
