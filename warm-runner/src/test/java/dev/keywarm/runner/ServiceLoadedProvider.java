package dev.keywarm.runner;

import dev.keywarm.loader.KeyLoaderProvider;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.loader.LoaderRegistry;

/**
 * Listed in META-INF/services: registers a loader for {@code svc:*} keys, and one for the fields of
 * {@code svcf:*} hashes (a provider registers field loaders on the same registry).
 */
public class ServiceLoadedProvider implements KeyLoaderProvider {

  @Override
  public void registerLoaders(LoaderRegistry registry) {
    registry.register(
        "svc:*",
        key -> LoadedValue.of(PlanFixture.bytes("from-service-loader:" + PlanFixture.string(key))));
    registry.registerFields(
        "svcf:*",
        (key, field) ->
            LoadedValue.of(PlanFixture.bytes("from-service-loader:" + PlanFixture.string(field))));
  }
}
