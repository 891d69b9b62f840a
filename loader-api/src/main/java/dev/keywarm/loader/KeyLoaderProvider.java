package dev.keywarm.loader;

/**
 * Registers an application's loaders without touching its code paths: list the implementing class
 * in {@code META-INF/services/dev.keywarm.loader.KeyLoaderProvider} and the warm-runner finds it
 * through {@link java.util.ServiceLoader} (needs a public no-argument constructor).
 */
public interface KeyLoaderProvider {

  void registerLoaders(LoaderRegistry registry);
}
