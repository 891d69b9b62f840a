package dev.keywarm.agent.warm;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of the warm-runner the agent carries, with its own Redis client: isolated from
 * the application's (no version clash), parented by the bootstrap loader where the loader API lives
 * (so the application's loaders and the runner agree on {@code dev.keywarm.loader}). The agent's
 * hooks skip every class it defines, so the runner's own writes are never recorded.
 */
public final class RunnerClassLoader extends URLClassLoader {

  static {
    ClassLoader.registerAsParallelCapable();
  }

  RunnerClassLoader(URL runnerJar) {
    super("keywarm-warm-runner", new URL[] {runnerJar}, null);
  }
}
