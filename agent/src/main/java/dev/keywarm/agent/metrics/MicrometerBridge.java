package dev.keywarm.agent.metrics;

import dev.keywarm.agent.log.AgentLog;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Registers the meters on the application's own Micrometer {@code Metrics.globalRegistry}, when the
 * application has Micrometer: Spring Boot adds its registries (Prometheus, OTLP, …) to that global
 * registry by default ({@code management.metrics.use-global-registry}), so {@code
 * /actuator/prometheus} shows them with no code and no dependency added to the application.
 *
 * <p>Micrometer is the application's, loaded by its class loader, and called only by reflection
 * with JDK function types ({@code FunctionCounter}, {@code Gauge}, {@code FunctionTimer} builders),
 * so the agent neither ships nor links against it and any Micrometer 1.x works. Micrometer keeps
 * only weak references to a meter's source object: the bridge holds every source it registered.
 * Meters of new patterns are registered after each window; any failure turns the bridge off with
 * one log line.
 *
 * <p><b>Never in the way of the application's own meters.</b> Micrometer's Prometheus registry
 * (before 1.17) exports only the first of several meters that share a name but not their tag keys,
 * silently dropping the others. An application with its own {@code cache.gets} (Spring Boot binds
 * its Caffeine, JCache or Redis caches with the tags {@code cache}, {@code cache.manager}, {@code
 * result}) registers them at start; so keywarm registers its {@code cache.*} meters only once the
 * global registry has had child registries for 2 s, then looks in every registry of the global one,
 * and if the application already has one of those names with other tag keys, keywarm's take {@code
 * keywarm.cache.*} instead (one log line), leaving the application's untouched. A cache meter the
 * application creates later still loses to keywarm's on a Micrometer before 1.17.
 */
public final class MicrometerBridge {

  private static final String METRICS = "io.micrometer.core.instrument.Metrics";

  private final MeterCatalog catalog;
  private final Supplier<ClassLoader> applicationLoader;
  private final Set<String> registered = new HashSet<>();
  private String cachePrefix;
  private long childrenSince;

  /** How long the global registry must have had child registries before {@code cache.*} names. */
  private static final long SETTLE_NANOS = 2_000_000_000L;

  private final List<MeterCatalog.Meter> held = new ArrayList<>();
  private Object registry;
  private Api api;
  private boolean off;

  public MicrometerBridge(MeterCatalog catalog, Supplier<ClassLoader> applicationLoader) {
    this.catalog = catalog;
    this.applicationLoader = applicationLoader;
  }

  /** True once it gave up: the application has no Micrometer, or registering failed. */
  public boolean isOff() {
    return off;
  }

  /** Registers what is not registered yet; on the meters thread. */
  public void update() {
    if (off) {
      return;
    }
    try {
      if (registry == null && !connect()) {
        return;
      }
      boolean settled = registriesSettled();
      for (MeterCatalog.Meter meter : catalog.meters()) {
        if (meter.name().startsWith("cache.") && !settled) {
          continue; // the application may not have bound its own cache.* yet: next window
        }
        if (registered.add(meter.id())) {
          register(meter);
          held.add(meter);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      off = true;
      AgentLog.warn("metrics: Micrometer registration stopped: " + e);
    }
  }

  /**
   * True once the global registry has had child registries for 2 s: Spring Boot adds its
   * registries, then binds its cache meters; deciding the {@code cache.*} names before both would
   * take a name the application is about to use.
   */
  private boolean registriesSettled() throws ReflectiveOperationException {
    if (cachePrefix != null) {
      return true;
    }
    java.util.Collection<?> children =
        (java.util.Collection<?>) registry.getClass().getMethod("getRegistries").invoke(registry);
    long now = System.nanoTime();
    if (children.isEmpty()) {
      childrenSince = 0;
      return false;
    }
    if (childrenSince == 0) {
      childrenSince = now;
    }
    return now - childrenSince >= SETTLE_NANOS;
  }

  /** True once the application's global registry is found; false while it has none (yet). */
  private boolean connect() throws ReflectiveOperationException {
    ClassLoader loader = applicationLoader.get();
    if (loader == null) {
      return false;
    }
    Class<?> metrics;
    try {
      metrics = Class.forName(METRICS, true, loader);
    } catch (ClassNotFoundException e) {
      off = true; // this application has no Micrometer: nothing to bridge to
      AgentLog.debug("metrics: no Micrometer in the application");
      return false;
    }
    registry = metrics.getField("globalRegistry").get(null);
    api = new Api(loader);
    AgentLog.info("metrics: registering on the application's Micrometer global registry");
    return true;
  }

  /**
   * The name to register {@code meter} under: its own, or for the {@code cache.*} meters all
   * together {@code keywarm.cache.*} if the application has any of those names with other tag keys
   * (one family of names, never a mix).
   */
  private String nameFor(MeterCatalog.Meter meter) throws ReflectiveOperationException {
    if (!meter.name().startsWith("cache.")) {
      return meter.name();
    }
    if (cachePrefix == null) {
      cachePrefix = "";
      java.util.Map<String, Set<String>> ours = new java.util.LinkedHashMap<>();
      for (MeterCatalog.Meter m : catalog.meters()) {
        if (m.name().startsWith("cache.")) {
          Set<String> keys = new HashSet<>();
          for (int i = 0; i < m.tags().size(); i += 2) {
            keys.add(m.tags().get(i));
          }
          ours.putIfAbsent(m.name(), keys);
        }
      }
      for (java.util.Map.Entry<String, Set<String>> name : ours.entrySet()) {
        for (Set<String> theirs : tagKeysInUse(name.getKey())) {
          if (!theirs.equals(name.getValue()) && cachePrefix.isEmpty()) {
            cachePrefix = "keywarm.";
            AgentLog.info(
                "metrics: the application has its own "
                    + name.getKey()
                    + " (tags "
                    + theirs
                    + "); keywarm's cache meters are keywarm.cache.* (tags "
                    + name.getValue()
                    + ")");
          }
        }
      }
    }
    return cachePrefix + meter.name();
  }

  /** The tag key sets of the meters named {@code name} in the global registry's registries. */
  private List<Set<String>> tagKeysInUse(String name) throws ReflectiveOperationException {
    List<Set<String>> sets = new ArrayList<>();
    List<Object> registries = new ArrayList<>();
    registries.add(registry);
    Object children = registry.getClass().getMethod("getRegistries").invoke(registry);
    registries.addAll((java.util.Collection<?>) children);
    for (Object r : registries) {
      Object search = r.getClass().getMethod("find", String.class).invoke(r, name);
      java.util.Collection<?> meters =
          (java.util.Collection<?>) search.getClass().getMethod("meters").invoke(search);
      for (Object m : meters) {
        Object id = m.getClass().getMethod("getId").invoke(m);
        Set<String> keys = new HashSet<>();
        for (Object tag : (List<?>) id.getClass().getMethod("getTags").invoke(id)) {
          keys.add((String) tag.getClass().getMethod("getKey").invoke(tag));
        }
        sets.add(keys);
      }
    }
    return sets;
  }

  private void register(MeterCatalog.Meter meter) throws ReflectiveOperationException {
    String name = nameFor(meter);
    DoubleSupplier value = meter.value();
    String[] tags = meter.tags().toArray(new String[0]);
    Object builder =
        switch (meter.type()) {
          case COUNTER ->
              api.counter.invoke(
                  null,
                  name,
                  value,
                  (ToDoubleFunction<DoubleSupplier>) DoubleSupplier::getAsDouble);
          case GAUGE ->
              api.gauge.invoke(
                  null,
                  name,
                  value,
                  (ToDoubleFunction<DoubleSupplier>) DoubleSupplier::getAsDouble);
          case TIMER ->
              api.timer.invoke(
                  null,
                  name,
                  meter,
                  (ToLongFunction<MeterCatalog.Meter>) m -> (long) m.value().getAsDouble(),
                  (ToDoubleFunction<MeterCatalog.Meter>) m -> m.totalSeconds().getAsDouble(),
                  TimeUnit.SECONDS);
        };
    Class<?> type = builder.getClass();
    builder = type.getMethod("tags", String[].class).invoke(builder, (Object) tags);
    builder = type.getMethod("description", String.class).invoke(builder, meter.description());
    if (meter.baseUnit() != null && meter.type() != MeterCatalog.Type.TIMER) {
      builder = type.getMethod("baseUnit", String.class).invoke(builder, meter.baseUnit());
    }
    for (Method m : type.getMethods()) {
      if (m.getName().equals("register") && m.getParameterCount() == 1) {
        m.invoke(builder, registry);
        return;
      }
    }
    throw new NoSuchMethodException(type.getName() + ".register");
  }

  /** The three builder factories of the application's Micrometer. */
  private static final class Api {
    final Method counter;
    final Method gauge;
    final Method timer;

    Api(ClassLoader loader) throws ReflectiveOperationException {
      counter =
          Class.forName("io.micrometer.core.instrument.FunctionCounter", true, loader)
              .getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
      gauge =
          Class.forName("io.micrometer.core.instrument.Gauge", true, loader)
              .getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
      timer =
          Class.forName("io.micrometer.core.instrument.FunctionTimer", true, loader)
              .getMethod(
                  "builder",
                  String.class,
                  Object.class,
                  ToLongFunction.class,
                  ToDoubleFunction.class,
                  TimeUnit.class);
    }
  }
}
