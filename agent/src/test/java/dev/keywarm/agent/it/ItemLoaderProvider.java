package dev.keywarm.agent.it;

import dev.keywarm.loader.KeyLoaderProvider;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.loader.LoaderRegistry;
import java.nio.charset.StandardCharsets;

/**
 * The application's loader, found by ServiceLoader (META-INF/services): how it would build {@code
 * item:*} on a miss. No application code calls keywarm.
 */
public final class ItemLoaderProvider implements KeyLoaderProvider {

  @Override
  public void registerLoaders(LoaderRegistry registry) {
    registry.register(
        "item:*",
        key ->
            LoadedValue.of(
                ("loaded-" + new String(key, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8)));
  }
}
