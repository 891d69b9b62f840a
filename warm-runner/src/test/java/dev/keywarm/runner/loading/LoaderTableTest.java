package dev.keywarm.runner.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.FieldLoader;
import dev.keywarm.loader.HashField;
import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.loader.LoaderRegistry;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.StoredKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which registration loads a plan member: keys by their key, fields by their hash's key. */
class LoaderTableTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] field(String key, String field) {
    return FieldMember.encode(bytes(key), bytes(field));
  }

  private static final KeyLoader KEYS = key -> LoadedValue.of(bytes("key"));

  @Test
  void aFieldIsMatchedByItsHashsKeyAndOnlyByFieldLoaders() {
    List<String> asked = new ArrayList<>();
    FieldLoader users =
        (key, f) -> {
          asked.add(string(key) + "/" + string(f));
          return LoadedValue.of(bytes("field"));
        };
    LoaderTable table =
        new LoaderTable()
            .register("*", KEYS)
            .registerFields("user:*", users, Duration.ofMinutes(5));

    LoaderTable.Entry forField = table.find(field("user:42", "profile"));
    assertTrue(forField.loadsFields());
    assertSame(users, forField.implementation());
    assertEquals(Duration.ofMinutes(5), forField.ttl());
    assertFalse(table.find(bytes("user:42")).loadsFields(), "the hash's key itself: a key");
    assertNull(table.find(field("order:1", "x")), "a key loader under * never loads a field");
    assertNull(table.find(field("profile", "user:42")), "the field is not what is matched");
  }

  @Test
  void theFirstFieldRegistrationThatMatchesWinsAndTtlForMatchesTheHashsKey() {
    FieldLoader first = (key, f) -> null;
    FieldLoader second = (key, f) -> null;
    LoaderTable table =
        new LoaderTable()
            .registerFields("user:*", first)
            .registerFields("*", second)
            .ttlFor("user:*", Duration.ofSeconds(30));

    byte[] member = field("user:1", "a");
    assertSame(first, table.find(member).implementation());
    assertSame(second, table.find(field("cart:1", "a")).implementation());
    assertEquals(Duration.ofSeconds(30), table.configuredTtl(table.find(member), member));
    assertNull(table.configuredTtl(table.find(field("cart:1", "a")), field("cart:1", "a")));
    assertEquals(2, table.entries().size());
    assertFalse(table.isEmpty());
  }

  @Test
  void anEntryLoadsFieldsOneByOneOrInABatchAsTheLoaderAsks() throws Exception {
    List<Integer> calls = new ArrayList<>();
    FieldLoader batched =
        new FieldLoader() {
          @Override
          public LoadedValue loadField(byte[] key, byte[] f) {
            calls.add(1);
            return LoadedValue.of(f);
          }

          @Override
          public List<LoadedValue> loadFields(List<HashField> fields) {
            calls.add(fields.size());
            return fields.stream().map(h -> LoadedValue.of(h.field())).toList();
          }

          @Override
          public int fieldBatchSize() {
            return 10;
          }
        };
    LoaderTable.Entry entry = new LoaderTable().registerFields("*", batched).find(field("h", "a"));

    assertEquals(10, entry.batchSize());
    assertEquals("a", string(entry.load(field("h", "a")).bytes()));
    List<LoadedValue> two = entry.loadAll(List.of(field("h", "b"), field("g", "c")));
    assertEquals(List.of("b", "c"), two.stream().map(v -> string(v.bytes())).toList());
    assertEquals(List.of(1, 2), calls);
  }

  @Test
  void theDefaultLoadFieldsCallsLoadFieldForEachInOrder() throws Exception {
    FieldLoader plain = (key, f) -> LoadedValue.of(bytes(string(key) + "/" + string(f)));
    List<LoadedValue> values =
        plain.loadFields(
            List.of(new HashField(bytes("h"), bytes("a")), new HashField(bytes("g"), bytes("b"))));
    assertEquals(List.of("h/a", "g/b"), values.stream().map(v -> string(v.bytes())).toList());
    assertEquals(1, plain.fieldBatchSize());
    assertEquals(new HashField(bytes("h"), bytes("a")), new HashField(bytes("h"), bytes("a")));
  }

  @Test
  void aRegistryWithoutFieldSupportRefusesFieldLoadersAndKeepsCompiling() {
    LoaderRegistry old = new LoaderRegistry() { // written before field loaders existed
          @Override
          public LoaderRegistry register(String keyPattern, KeyLoader loader) {
            return this;
          }

          @Override
          public LoaderRegistry register(String keyPattern, KeyLoader loader, Duration ttl) {
            return this;
          }
        };
    assertThrows(
        UnsupportedOperationException.class, () -> old.registerFields("*", (k, f) -> null));
  }

  @Test
  void aFieldWhoseKeyOrFieldIsStoredTruncatedIsNotTheApplicationsOwn() {
    byte[] longBytes = new byte[StoredKey.MAX_BYTES + 100];
    Arrays.fill(longBytes, (byte) 'x');
    assertTrue(LoaderTable.isTruncated(FieldMember.encode(bytes("h"), longBytes)));
    assertTrue(LoaderTable.isTruncated(FieldMember.encode(longBytes, bytes("f"))));
    assertTrue(LoaderTable.isTruncated(StoredKey.member(longBytes)));
    assertFalse(LoaderTable.isTruncated(field("h", "f")));
    assertFalse(LoaderTable.isTruncated(bytes("plain")));
  }
}
