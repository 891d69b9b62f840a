package dev.keywarm.agent.instrumentation.jedis;

import dev.keywarm.agent.recording.CallRecord;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.args.Rawable;

/**
 * Entry advice for every Jedis 4+ method that takes a {@code CommandObject}: hands the command name
 * and arguments to a {@link CallRecord}. Inlined into Jedis' own classes, so it may use Jedis
 * types; everything it calls is keywarm's, loaded by the bootstrap class loader, and never throws.
 *
 * <p>Arguments are passed as the byte arrays Jedis already holds: nothing is copied or encoded
 * here.
 */
public final class JedisCommandEnterAdvice {

  private JedisCommandEnterAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static CallRecord onEnter(@Advice.Argument(0) CommandObject<?> command) {
    CallRecord call = null;
    int index = 0;
    for (Rawable argument : command.getArguments()) {
      if (index == 0) {
        call = CallRecord.begin(argument.getRaw());
        if (call == null) {
          break;
        }
      } else {
        call.argument(index, argument.getRaw());
      }
      index++;
    }
    return call;
  }
}
