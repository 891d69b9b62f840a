package dev.keywarm.runner.loading;

import dev.keywarm.loader.FieldLoader;
import dev.keywarm.loader.HashField;
import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.KeyLoaderProvider;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.loader.LoaderRegistry;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.KeyGlob;
import dev.keywarm.schema.StoredKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The registered loaders, in registration order; the first pattern that matches a key wins. The
 * runner fills it with programmatic registrations first, then loaders declared in configuration
 * (HTTP, copy), then {@link ServiceLoader} providers, so explicit code beats discovery.
 *
 * <p>Plan members are plain keys or hash fields ({@link FieldMember}). A key is loaded by the first
 * key loader whose pattern matches it, a field by the first field loader whose pattern matches its
 * hash's key; the two lists are apart, so a key loader is never asked for a field. Every caller
 * goes through {@link Entry#load}/{@link Entry#loadAll} with members and need not know which kind
 * it holds.
 */
public final class LoaderTable implements LoaderRegistry {

  /**
   * One registration: exactly one of {@code loader} (plain keys) and {@code fieldLoader} (hash
   * fields) is set; {@code ttl} is null when the pattern has no TTL of its own.
   */
  public record Entry(KeyGlob pattern, KeyLoader loader, FieldLoader fieldLoader, Duration ttl) {

    /** True if this entry loads hash fields (its members are {@link FieldMember}s). */
    public boolean loadsFields() {
      return fieldLoader != null;
    }

    /** The registered object, whichever kind (to ask what it is: a copy, an HTTP loader). */
    public Object implementation() {
      return loadsFields() ? fieldLoader : loader;
    }

    /** Most members of one call: the loader's batch size, at least 1. */
    public int batchSize() {
      return Math.max(1, loadsFields() ? fieldLoader.fieldBatchSize() : loader.batchSize());
    }

    /** Loads one member of this entry's kind. */
    public LoadedValue load(byte[] member) throws Exception {
      return loadsFields()
          ? fieldLoader.loadField(FieldMember.key(member), FieldMember.field(member))
          : loader.load(member);
    }

    /**
     * Loads members of this entry's kind in one call ({@code load} for one, the batched method for
     * more): one value per member, in order, as the loader returned them.
     */
    public List<LoadedValue> loadAll(List<byte[]> members) throws Exception {
      if (members.size() == 1) {
        List<LoadedValue> one = new ArrayList<>(1);
        one.add(load(members.get(0)));
        return one;
      }
      if (!loadsFields()) {
        return loader.loadAll(members);
      }
      List<HashField> fields = new ArrayList<>(members.size());
      for (byte[] m : members) {
        fields.add(new HashField(FieldMember.key(m), FieldMember.field(m)));
      }
      return fieldLoader.loadFields(fields);
    }

    /** Where the log names this entry. */
    public String describe() {
      return pattern + (loadsFields() ? " (fields)" : "");
    }
  }

  private final List<Entry> keyEntries = new ArrayList<>();
  private final List<Entry> fieldEntries = new ArrayList<>();
  private final List<Entry> ttlOverrides = new ArrayList<>();

  @Override
  public LoaderTable register(String keyPattern, KeyLoader loader) {
    return register(keyPattern, loader, null);
  }

  @Override
  public LoaderTable register(String keyPattern, KeyLoader loader, Duration ttl) {
    keyEntries.add(new Entry(new KeyGlob(keyPattern), loader, null, checked(keyPattern, ttl)));
    return this;
  }

  @Override
  public LoaderTable registerFields(String keyPattern, FieldLoader loader) {
    return registerFields(keyPattern, loader, null);
  }

  @Override
  public LoaderTable registerFields(String keyPattern, FieldLoader loader, Duration ttl) {
    fieldEntries.add(new Entry(new KeyGlob(keyPattern), null, loader, checked(keyPattern, ttl)));
    return this;
  }

  private static Duration checked(String keyPattern, Duration ttl) {
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("TTL must be positive for " + keyPattern + ": " + ttl);
    }
    return ttl;
  }

  /**
   * A TTL for keys matching the pattern, whichever loader loads them (configuration: {@code
   * --ttl-for}); for a hash field, the pattern is matched against the hash's key.
   */
  public LoaderTable ttlFor(String keyPattern, Duration ttl) {
    ttlOverrides.add(new Entry(new KeyGlob(keyPattern), null, null, ttl));
    return this;
  }

  /** Adds every provider found on the class loader's path; returns how many there were. */
  public int registerServiceProviders(ClassLoader classLoader) {
    int providers = 0;
    for (KeyLoaderProvider provider : ServiceLoader.load(KeyLoaderProvider.class, classLoader)) {
      provider.registerLoaders(this);
      providers++;
    }
    return providers;
  }

  /**
   * The entry that loads {@code member} — a plain key, or a hash field matched by its hash's key —
   * or null if no pattern of its kind matches.
   */
  public Entry find(byte[] member) {
    boolean field = FieldMember.isField(member);
    byte[] key = field ? FieldMember.key(member) : member;
    for (Entry entry : field ? fieldEntries : keyEntries) {
      if (entry.pattern().matches(key)) {
        return entry;
      }
    }
    return null;
  }

  /** The TTL for a value without its own: the pattern's TTL, else a configured one, else null. */
  public Duration configuredTtl(Entry entry, byte[] member) {
    if (entry.ttl() != null) {
      return entry.ttl();
    }
    byte[] key = FieldMember.redisKey(member);
    for (Entry override : ttlOverrides) {
      if (override.pattern().matches(key)) {
        return override.ttl();
      }
    }
    return null;
  }

  /**
   * True if the member is a key stored truncated ({@link StoredKey}), or a field whose key or field
   * is: not the application's own bytes, so nothing can load it.
   */
  public static boolean isTruncated(byte[] member) {
    if (FieldMember.isField(member)) {
      return StoredKey.isTruncated(FieldMember.key(member))
          || StoredKey.isTruncated(FieldMember.field(member));
    }
    return StoredKey.isTruncated(member);
  }

  public boolean isEmpty() {
    return keyEntries.isEmpty() && fieldEntries.isEmpty();
  }

  /** Key loaders first, then field loaders, each in registration order. */
  public List<Entry> entries() {
    List<Entry> all = new ArrayList<>(keyEntries);
    all.addAll(fieldEntries);
    return List.copyOf(all);
  }
}
