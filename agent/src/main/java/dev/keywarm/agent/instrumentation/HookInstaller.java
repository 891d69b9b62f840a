package dev.keywarm.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.keywarm.agent.instrumentation.jedis.JedisInstrumentationModule;
import dev.keywarm.agent.instrumentation.jedis.JedisVersionCheck;
import dev.keywarm.agent.instrumentation.jedis.RenamedAdviceLocator;
import dev.keywarm.agent.instrumentation.jedis3.Jedis3ConnectionInstrumentation;
import dev.keywarm.agent.instrumentation.lettuce.LettuceInstrumentationModule;
import dev.keywarm.agent.instrumentation.redisson.RedissonInstrumentationModule;
import dev.keywarm.agent.log.AgentLog;
import dev.keywarm.agent.warm.RunnerClassLoader;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every hook with Byte Buddy. Advice is inlined into the client's classes without changing
 * their shape (no new fields or methods), so the same installation works at JVM start and when the
 * agent is attached later: classes already loaded are retransformed.
 */
public final class HookInstaller {

  private HookInstaller() {}

  public static void install(Instrumentation instrumentation, File agentJar) throws IOException {
    List<TypeInstrumentation> hooks =
        new ArrayList<>(JedisInstrumentationModule.typeInstrumentations());
    hooks.add(new Jedis3ConnectionInstrumentation());
    hooks.addAll(LettuceInstrumentationModule.typeInstrumentations());
    hooks.addAll(RedissonInstrumentationModule.typeInstrumentations());
    hooks.add(new dev.keywarm.agent.instrumentation.spring.SpringReadinessInstrumentation());
    // Advice bytecode is read from the agent jar: the advice classes live on the bootstrap path.
    ClassFileLocator agentClasses =
        agentJar != null
            ? ClassFileLocator.ForJarFile.of(agentJar)
            : ClassFileLocator.ForClassLoader.of(HookInstaller.class.getClassLoader());
    // plus the Jedis advice renamed for valkey-java, derived from those same classes
    ClassFileLocator adviceLocator =
        new ClassFileLocator.Compound(agentClasses, new RenamedAdviceLocator(agentClasses));

    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(new FailureListener())
            .ignore(
                nameStartsWith("dev.keywarm.")
                    .or(nameStartsWith("net.bytebuddy."))
                    .or(isSynthetic()))
            // the warm-runner's own Redis client: its writes are keywarm's, not the application's
            .or(any(), loader -> loader instanceof RunnerClassLoader);
    for (TypeInstrumentation hook : hooks) {
      AgentBuilder.Transformer.ForAdvice advice =
          new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
      builder = builder.type(hook.typeMatcher()).transform(hook.transform(advice));
    }
    instrumentation.addTransformer(new JedisVersionCheck());
    builder.installOn(instrumentation);
  }

  /** Logs a hook that could not be applied, once per type; the class loads unmodified. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      AgentLog.warn(
          "could not hook " + typeName + " (left unmodified, not recorded): " + throwable);
    }

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      AgentLog.debug("hooked " + type.getName() + (loaded ? " (retransformed)" : ""));
    }
  }
}
