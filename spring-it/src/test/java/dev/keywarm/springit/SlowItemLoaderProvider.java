package dev.keywarm.springit;

import dev.keywarm.loader.KeyLoaderProvider;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.loader.LoaderRegistry;
import java.nio.charset.StandardCharsets;

/**
 * A loader on the application's class path (found by ServiceLoader) for the readiness IT's planned
 * keys {@code ready:item:*}: 50 ms per key, like a slow database, so that the start warm takes
 * seconds and readiness can be seen waiting for it.
 */
public final class SlowItemLoaderProvider implements KeyLoaderProvider {

  @Override
  public void registerLoaders(LoaderRegistry registry) {
    registry.register(
        "ready:item:*",
        key -> {
          Thread.sleep(50);
          return LoadedValue.of(
              ("loaded-" + new String(key, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8));
        });
  }
}
