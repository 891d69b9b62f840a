package dev.keywarm.runner;

import static dev.keywarm.runner.PlanFixture.bytes;
import static dev.keywarm.runner.PlanFixture.field;
import static dev.keywarm.runner.PlanFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.loader.FieldLoader;
import dev.keywarm.loader.HashField;
import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.StoredKey;
import dev.keywarm.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plans that hold hash fields beside plain keys: fields go to field loaders (matched by the hash's
 * key) and are written with {@code HSETNX}, never over the application's field; TTLs as the server
 * allows (this server's kind is asked, and the assertions follow it).
 */
class FieldWarmIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  PlanFixture fixture;

  @BeforeEach
  void clean() {
    REDIS.server().flushAll();
    fixture = new PlanFixture(REDIS.server().uri(), "shop");
  }

  /** value = "f:" + key + "/" + field; records each field asked for. */
  static final class RecordingFieldLoader implements FieldLoader {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public LoadedValue loadField(byte[] key, byte[] field) {
      String name = string(key) + "/" + string(field);
      calls.add(name);
      return string(field).equals("gone") ? null : LoadedValue.of(bytes("f:" + name));
    }
  }

  private WarmRunner.Builder runner() {
    return WarmRunner.builder()
        .planSnapshot(null)
        .app("shop")
        .redis(REDIS.server().uri())
        .clock(PlanFixture.CLOCK)
        .concurrency(1)
        .ratePerSecond(0)
        .serviceLoaders(false)
        .jmx(false)
        .defaultTtl(Duration.ofSeconds(100)); // jittered to 80-100 s
  }

  private boolean serverHasFieldTtl() {
    Matcher m =
        Pattern.compile("redis_version:(\\d+)\\.(\\d+)")
            .matcher(String.valueOf(REDIS.server().command("INFO", "server")));
    assertTrue(m.find());
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major > 7 || (major == 7 && minor >= 4);
  }

  @Test
  void fieldsAndKeysAreWarmedEachByItsLoaderAndTheApplicationsFieldsAreKept() {
    fixture.jedis.hset("app:2", "profile", "app-value"); // the application's hash, no TTL
    fixture.jedis.hset("ttl:3", "x", "1");
    fixture.jedis.pexpire("ttl:3", 50_000); // the application's hash, with its TTL
    fixture.jedis.set("str:4", "app-string"); // not a hash at all
    fixture.planMembers(
        "g1",
        List.of(
            field("boom:6", "f"), // hottest: the warm goes on after its loader throws
            bytes("plain:1"),
            field("user:1", "profile"),
            field("user:1", "email"),
            field("user:1", "gone"),
            field("app:2", "profile"),
            field("app:2", "email"),
            field("ttl:3", "a"),
            field("str:4", "f"),
            field("other:5", "f")));
    List<String> keyCalls = Collections.synchronizedList(new ArrayList<>());
    KeyLoader keys =
        key -> {
          keyCalls.add(string(key));
          return LoadedValue.of(bytes("k:" + string(key)));
        };
    RecordingFieldLoader fields = new RecordingFieldLoader();
    FieldLoader throwing =
        (key, field) -> {
          throw new IllegalStateException("backend down for " + string(key));
        };

    WarmResult result =
        runner()
            .loader("*", keys) // a key loader never sees a field, even under "*"
            .fieldLoader("boom:*", throwing)
            .fieldLoader("user:*", fields)
            .fieldLoader("app:*", fields)
            .fieldLoader("ttl:*", fields)
            .fieldLoader("str:*", fields)
            .build()
            .run();

    WarmProgress p = result.progress();
    boolean fieldTtl = serverHasFieldTtl();
    assertEquals(WarmStatus.COMPLETED, result.status(), result.summary());
    assertEquals(10, p.planned());
    // plain:1, user:1 ×2 (before 7.4 the missing hash user:1 is not created), app:2 email, ttl:3 a
    assertEquals(fieldTtl ? 5 : 3, p.warmed(), result.summary());
    assertEquals(2, p.skippedExisting()); // app:2 profile, str:4 (not a hash)
    assertEquals(fieldTtl ? 1 : 3, p.missing()); // user:1 gone (and before 7.4 its other two)
    assertEquals(1, p.failed()); // boom:6
    assertEquals(0, p.timedOut());
    assertEquals(1, p.noLoader()); // other:5: no field loader, although "*" has a key loader
    assertEquals(1, p.noFieldLoader());
    assertEquals(List.of("plain:1"), keyCalls);
    assertEquals(
        List.of(
            "user:1/profile",
            "user:1/email",
            "user:1/gone",
            "app:2/profile",
            "app:2/email",
            "ttl:3/a",
            "str:4/f"),
        fields.calls);

    assertEquals("k:plain:1", fixture.jedis.get("plain:1"));
    if (fieldTtl) {
      assertEquals("f:user:1/profile", fixture.jedis.hget("user:1", "profile"));
      assertEquals("f:user:1/email", fixture.jedis.hget("user:1", "email"));
    } else {
      // a hash the warm created would expire with its TTL, and every field the application
      // writes into it later with it: not created
      assertFalse(fixture.jedis.exists("user:1"));
    }
    assertFalse(fixture.jedis.hexists("user:1", "gone"));
    assertEquals("app-value", fixture.jedis.hget("app:2", "profile"), "never overwritten");
    assertEquals("f:app:2/email", fixture.jedis.hget("app:2", "email"));
    assertEquals("f:ttl:3/a", fixture.jedis.hget("ttl:3", "a"));
    assertEquals("app-string", fixture.jedis.get("str:4"));
    assertFalse(fixture.jedis.exists("boom:6"));
    assertFalse(fixture.jedis.exists("other:5"));
    assertEquals(
        fieldTtl
            ? Set.of("plain:1", "user:1", "app:2", "ttl:3", "str:4")
            : Set.of("plain:1", "app:2", "ttl:3", "str:4"),
        cacheKeys());

    long userTtl = fixture.jedis.pttl("user:1");
    long ttl3 = fixture.jedis.pttl("ttl:3");
    if (fieldTtl) {
      // each field its own TTL; the hashes' own TTLs untouched
      assertEquals(-1, userTtl);
      assertEquals(-1, fixture.jedis.pttl("app:2"));
      List<Long> own = fixture.jedis.hpttl("user:1", "profile", "email");
      own.forEach(t -> assertTrue(t > 79_000 && t <= 100_000, "field TTL " + t));
      assertEquals(List.of(-1L), fixture.jedis.hpttl("app:2", "profile"));
    } else {
      assertEquals(-2, userTtl, "no hash created");
      assertEquals(-1, fixture.jedis.pttl("app:2"), "no TTL given to the application's hash");
    }
    assertTrue(ttl3 > 0 && ttl3 <= 50_000, "the application's TTL never extended: " + ttl3);
    assertTrue(result.summary().contains("no-loader=1 (fields 1)"), "summary: " + result.summary());
  }

  /** The keys in this Redis that are not keywarm's own (plans, lease, result). */
  private Set<String> cacheKeys() {
    Set<String> keys = new HashSet<>(fixture.jedis.keys("*"));
    keys.removeIf(k -> k.startsWith("kw:"));
    return keys;
  }

  @Test
  void fieldsOfOneLoaderAreLoadedInBatchesOfItsFieldBatchSize() {
    List<byte[]> plan = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      plan.add(field("batch:1", "f" + i));
    }
    fixture.planMembers("g1", plan);
    fixture.jedis.hset("batch:1", "app", "x"); // the application's hash, with its TTL:
    fixture.jedis.pexpire("batch:1", 60_000); // fields go into it on every server version
    List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
    FieldLoader batched =
        new FieldLoader() {
          @Override
          public LoadedValue loadField(byte[] key, byte[] field) {
            calls.add(1);
            return LoadedValue.of(bytes("one"));
          }

          @Override
          public List<LoadedValue> loadFields(List<HashField> fields) {
            calls.add(fields.size());
            List<LoadedValue> values = new ArrayList<>();
            fields.forEach(f -> values.add(LoadedValue.of(bytes("v:" + string(f.field())))));
            return values;
          }

          @Override
          public int fieldBatchSize() {
            return 3;
          }
        };

    WarmResult result = runner().fieldLoader("batch:*", batched).build().run();

    assertEquals(List.of(3, 3, 1), calls);
    assertEquals(7, result.progress().warmed());
    assertEquals(8L, fixture.jedis.hlen("batch:1"));
    assertEquals("v:f0", fixture.jedis.hget("batch:1", "f0"));
    assertEquals("one", fixture.jedis.hget("batch:1", "f6"), "a call of one field: loadField");
  }

  @Test
  void aPlanOfFieldsWithoutAnyFieldLoaderCountsThemAsNoFieldLoader() {
    fixture.planMembers("g1", List.of(field("user:1", "a"), bytes("k"), field("user:2", "b")));

    WarmResult result = runner().loader("*", key -> LoadedValue.of(bytes("v"))).build().run();

    assertEquals(3, result.progress().planned());
    assertEquals(1, result.progress().warmed());
    assertEquals(2, result.progress().noLoader());
    assertEquals(2, result.progress().noFieldLoader());
    assertFalse(fixture.jedis.exists("user:1"));
    assertFalse(fixture.jedis.exists("user:2"));
  }

  @Test
  void aFieldStoredTruncatedIsNeverLoadedNorWrittenIntoTheHash() {
    byte[] longField = new byte[StoredKey.MAX_BYTES + 10];
    java.util.Arrays.fill(longField, (byte) 'x');
    fixture.planMembers(
        "g1", List.of(FieldMember.encode(bytes("user:1"), longField), field("user:1", "ok")));
    fixture.jedis.hset("user:1", "app", "x");
    fixture.jedis.pexpire("user:1", 60_000);
    RecordingFieldLoader fields = new RecordingFieldLoader();

    WarmResult result = runner().fieldLoader("*", fields).build().run();

    assertEquals(List.of("user:1/ok"), fields.calls);
    assertEquals(1, result.progress().warmed());
    assertEquals(1, result.progress().noLoader());
    assertEquals(1, result.progress().noFieldLoader());
    assertEquals(2L, fixture.jedis.hlen("user:1")); // the application's field and "ok"
  }

  @Test
  void aDumpFromAFieldLoaderIsFailedAndWritesNothing() {
    fixture.jedis.set("source", "x");
    byte[] dump = fixture.jedis.dump("source");
    fixture.planMembers("g1", List.of(field("user:1", "a")));

    WarmResult result =
        runner()
            .fieldLoader("*", (key, field) -> LoadedValue.dump(dump, Duration.ofMinutes(1)))
            .build()
            .run();

    assertEquals(1, result.progress().failed());
    assertEquals(0, result.progress().warmed());
    assertFalse(fixture.jedis.exists("user:1"));
    assertNull(fixture.jedis.get("user:1"));
  }

  @Test
  void whetherTheServerHasFieldTtlsIsAskedAndMatchesItsVersion() {
    try (RedisTarget target =
        RedisTarget.connect(REDIS.server().uri(), Duration.ofSeconds(2), Duration.ofSeconds(2))) {
      assertEquals(serverHasFieldTtl(), target.supportsFieldTtl());
      assertEquals(serverHasFieldTtl(), target.supportsFieldTtl()); // remembered, same answer
    }
  }
}
