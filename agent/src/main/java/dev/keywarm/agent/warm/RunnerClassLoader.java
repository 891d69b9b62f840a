package dev.keywarm.agent.warm;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of a jar the keywarm jar carries ({@link NestedJar}: the warm-runner, the
 * analyzer), with its own Redis client: isolated from the application's (no version clash). Inside
 * an application it is parented by the platform loader, and through it the bootstrap loader, where
 * the agent jar and so the loader API live (the application's loaders and the runner agree on
 * {@code dev.keywarm.loader}); the platform loader adds {@code java.net.http} and {@code
 * jdk.httpserver}, which the bootstrap loader cannot see. On the command line it is parented by the
 * loader of the keywarm jar itself. The agent's hooks skip every class it defines, so the runner's
 * own writes are never recorded.
 */
public final class RunnerClassLoader extends URLClassLoader {

  static {
    ClassLoader.registerAsParallelCapable();
  }

  RunnerClassLoader(String name, URL jar, ClassLoader parent) {
    super(name, new URL[] {jar}, parent);
  }
}
