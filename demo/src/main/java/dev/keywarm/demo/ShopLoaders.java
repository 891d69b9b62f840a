package dev.keywarm.demo;

import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.KeyLoaderProvider;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.loader.LoaderRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How keywarm's warm fills the shop's cache: the same database and TTL as the shop's own
 * cache-aside reads, but {@link #BATCH} keys per query — what a warm can do that a request cannot.
 * Found by the agent through {@code META-INF/services}; the shop itself never calls it.
 *
 * <p>{@code -Ddemo.loaders=off} ({@link #SWITCH}) makes it register nothing: the zero-code run
 * starts the shop with its loader off, so nothing but the snapshot can warm.
 */
public final class ShopLoaders implements KeyLoaderProvider {

  static final int BATCH = 100;

  /** System property: {@code off} registers no loader at all. */
  static final String SWITCH = "demo.loaders";

  /** Keys loaded by the warm, so the demo can tell its database work from the shop's own. */
  static final AtomicLong WARM_LOADS = new AtomicLong();

  @Override
  public void registerLoaders(LoaderRegistry registry) {
    if ("off".equals(System.getProperty(SWITCH))) {
      return;
    }
    RowLoader rows = new RowLoader();
    registry.register("product:*", rows);
    registry.register("deal:*", rows); // the hour's deals (the next-hour story)
  }

  private static final class RowLoader implements KeyLoader {

    @Override
    public LoadedValue load(byte[] key) throws Exception {
      return loadAll(List.of(key)).get(0);
    }

    @Override
    public List<LoadedValue> loadAll(List<byte[]> keys) throws Exception {
      List<String> names = new ArrayList<>(keys.size());
      for (byte[] key : keys) {
        names.add(new String(key, StandardCharsets.UTF_8));
      }
      List<byte[]> rows = SimulatedDatabase.shared().loadAll(names);
      WARM_LOADS.addAndGet(keys.size());
      List<LoadedValue> values = new ArrayList<>(rows.size());
      for (byte[] row : rows) {
        values.add(
            row == null ? null : LoadedValue.of(row, Duration.ofSeconds(ShopApp.TTL_SECONDS)));
      }
      return values;
    }

    @Override
    public int batchSize() {
      return BATCH;
    }
  }
}
