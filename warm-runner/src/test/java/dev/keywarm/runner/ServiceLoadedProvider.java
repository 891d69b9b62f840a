package dev.keywarm.runner;

import dev.keywarm.loader.KeyLoaderProvider;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.loader.LoaderRegistry;

/** Listed in META-INF/services: registers a loader for {@code svc:*} keys. */
public class ServiceLoadedProvider implements KeyLoaderProvider {

  @Override
  public void registerLoaders(LoaderRegistry registry) {
    registry.register(
        "svc:*",
        key -> LoadedValue.of(PlanFixture.bytes("from-service-loader:" + PlanFixture.string(key))));
  }
}
