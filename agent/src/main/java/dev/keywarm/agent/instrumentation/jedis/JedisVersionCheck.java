package dev.keywarm.agent.instrumentation.jedis;

import dev.keywarm.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Says once, when Jedis is loaded, if it is a Jedis keywarm cannot hook (before 3.0 there is no
 * {@code commands.ProtocolCommand}): the application runs as usual, unrecorded, and the log says
 * why. Decided by what the class loader can find, never by a version string. Transforms nothing.
 */
public final class JedisVersionCheck implements ClassFileTransformer {

  private static final String JEDIS = "redis/clients/jedis/Jedis";
  private final AtomicBoolean reported = new AtomicBoolean();

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfile) {
    if (JEDIS.equals(className) && !reported.get()) {
      try {
        ClassLoader lookup = loader != null ? loader : ClassLoader.getSystemClassLoader();
        if (lookup.getResource("redis/clients/jedis/CommandObject.class") == null
            && lookup.getResource("redis/clients/jedis/commands/ProtocolCommand.class") == null
            && reported.compareAndSet(false, true)) {
          AgentLog.warn(
              "this Jedis is older than 3.0: not recorded; keywarm records Jedis 3.0 "
                  + "and later");
        }
      } catch (Throwable ignored) {
        // a check only: never fail a class load
      }
    }
    return null;
  }
}
