package dev.keywarm.runner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.runner.target.RedisTarget;
import dev.keywarm.schema.FieldMember;
import dev.keywarm.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Both field scripts, run as the writer runs them, on this server. The per-field-TTL script's
 * {@code HPEXPIRE} needs Redis 7.4+: on an older server only its paths that never reach it are run,
 * and the one that does is shown to fail there (why the server is asked first).
 */
class FieldWriteIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  JedisPooled jedis;
  boolean fieldTtl;

  @BeforeEach
  void clean() {
    REDIS.server().flushAll();
    jedis = new JedisPooled(java.net.URI.create(REDIS.server().uri()));
    try (RedisTarget target =
        RedisTarget.connect(REDIS.server().uri(), Duration.ofSeconds(2), Duration.ofSeconds(2))) {
      fieldTtl = target.supportsFieldTtl();
    }
  }

  @AfterEach
  void close() {
    jedis.close();
  }

  private static byte[] member(String key, String field) {
    return FieldMember.encode(
        key.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
  }

  private Object run(boolean withFieldTtl, byte[] member, String value, long ttl, boolean need) {
    return jedis.eval(
        FieldWrite.script(withFieldTtl),
        FieldWrite.keys(member),
        FieldWrite.args(member, value.getBytes(StandardCharsets.UTF_8), ttl, need));
  }

  @Test
  void withTheHashsTtlAMissingHashIsNeverCreatedAnExistingOneKeepsItsOwn() {
    // its TTL would also expire every field the application writes into it later
    assertEquals(FieldWrite.NO_TTL, run(false, member("h:new", "a"), "1", 60_000, false));
    assertFalse(jedis.exists("h:new"));

    jedis.hset("h:app", "x", "app");
    jedis.pexpire("h:app", 5_000);
    assertEquals(FieldWrite.WRITTEN, run(false, member("h:app", "a"), "1", 60_000, true));
    assertTrue(jedis.pttl("h:app") <= 5_000, "the application's TTL is never extended");
    assertEquals(FieldWrite.EXISTED, run(false, member("h:app", "x"), "warm", 60_000, false));
    assertEquals("app", jedis.hget("h:app", "x"));
  }

  @Test
  void withTheHashsTtlAnExistingHashWithoutOneTakesAFieldOnlyWhenNoTtlIsRequired() {
    jedis.hset("h:forever", "x", "app");
    assertEquals(FieldWrite.NO_TTL, run(false, member("h:forever", "a"), "1", 60_000, true));
    assertFalse(jedis.hexists("h:forever", "a"));
    assertEquals(FieldWrite.WRITTEN, run(false, member("h:forever", "a"), "1", 60_000, false));
    assertEquals(-1, jedis.pttl("h:forever"), "no TTL given to the application's hash");
    assertEquals(
        FieldWrite.EXISTED,
        run(false, member("h:forever", "x"), "warm", 60_000, true),
        "an existing field is reported as such before any TTL question");
  }

  @Test
  void aKeyOfAnotherTypeIsTheApplicationsValue() {
    jedis.set("s", "app-string");
    for (boolean withFieldTtl : new boolean[] {false, true}) {
      try {
        run(withFieldTtl, member("s", "a"), "1", 60_000, false);
        throw new AssertionError("a field write into a string must fail");
      } catch (JedisDataException e) {
        assertTrue(FieldWrite.isApplicationValue(e.getMessage()), e.getMessage());
      }
    }
    assertEquals("app-string", jedis.get("s"));
  }

  @Test
  void withFieldTtlsHsetnxGuardsTheExpiryAndAFreshFieldGetsItsOwn() {
    jedis.hset("h", "x", "app");
    assertEquals(FieldWrite.EXISTED, run(true, member("h", "x"), "warm", 60_000, true));
    assertEquals(FieldWrite.WRITTEN, run(true, member("h", "y"), "warm", 0, false)); // no TTL
    assertEquals("app", jedis.hget("h", "x"));
    assertEquals(-1, jedis.pttl("h"));
    if (fieldTtl) {
      assertEquals(FieldWrite.WRITTEN, run(true, member("h", "z"), "warm", 60_000, true));
      long own = jedis.hpttl("h", "z").get(0);
      assertTrue(own > 59_000 && own <= 60_000, "the field's own TTL: " + own);
      assertEquals(-1L, jedis.hpttl("h", "x").get(0), "the application's field untouched");
      assertEquals(-1, jedis.pttl("h"), "the hash's TTL untouched");
    } else {
      // this server has no HPEXPIRE: the script reaches it only for a field it just set
      try {
        run(true, member("h", "z"), "warm", 60_000, true);
        throw new AssertionError("HPEXPIRE exists on a server that says it does not");
      } catch (JedisDataException e) {
        assertTrue(e.getMessage().contains("Unknown Redis command"), e.getMessage());
      }
      // ...after HSETNX had set it: a script is not rolled back, so the field would be left
      // without a TTL — why the writer asks the server once and never sends this script here
      assertEquals("warm", jedis.hget("h", "z"));
    }
  }

  @Test
  void aServerThatRefusesTheQuestionIsTakenToHaveNoFieldTtls() {
    REDIS
        .server()
        .command("ACL", "SETUSER", "nocommand", "on", ">secret-pw", "~*", "+@all", "-command");
    String uri = REDIS.server().uri().replace("redis://", "redis://nocommand:secret-pw@");
    try (RedisTarget target =
        RedisTarget.connect(uri, Duration.ofSeconds(2), Duration.ofSeconds(2))) {
      assertFalse(target.supportsFieldTtl(), "NOPERM: the hash-TTL way, right on every version");
      assertFalse(target.supportsFieldTtl());
    } finally {
      REDIS.server().command("ACL", "DELUSER", "nocommand");
    }
  }
}
