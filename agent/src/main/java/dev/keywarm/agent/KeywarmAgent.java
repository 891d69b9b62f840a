package dev.keywarm.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * {@code Premain-Class} and {@code Agent-Class}. It only puts the agent jar on the bootstrap class
 * path and hands over to {@link AgentInstaller}, loaded from there: hooks are inlined into the
 * application's Jedis classes, whichever class loader defined them (Spring Boot's, an application
 * server's), and the bootstrap loader is the one every loader can see. This class references no
 * other keywarm class, so none is loaded twice by two loaders.
 */
public final class KeywarmAgent {

  private KeywarmAgent() {}

  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation);
  }

  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation);
  }

  private static void start(String agentArgs, Instrumentation instrumentation) {
    try {
      File jar = agentJar();
      if (jar != null) {
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
      }
      Class<?> installer =
          Class.forName(
              "dev.keywarm.agent.AgentInstaller",
              true,
              jar != null ? null : KeywarmAgent.class.getClassLoader());
      installer
          .getMethod("install", String.class, Instrumentation.class, File.class)
          .invoke(null, agentArgs, instrumentation, jar);
    } catch (Throwable t) {
      // premain must never throw: an exception here would stop the application from starting
      System.err.println(
          "[keywarm] ERROR could not start ("
              + t
              + ") — keywarm is disabled; the application runs unrecorded");
    }
  }

  private static File agentJar() {
    try {
      var source = KeywarmAgent.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      File file = new File(source.getLocation().toURI());
      return file.isFile() && file.getName().endsWith(".jar") ? file : null;
    } catch (Exception e) {
      return null;
    }
  }
}
