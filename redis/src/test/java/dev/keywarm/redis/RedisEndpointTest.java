package dev.keywarm.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisEndpointTest {

  @Test
  void parsesEveryPart() {
    RedisEndpoint e = RedisEndpoint.parse("rediss://app:s3cret@cache.example:6380/2");
    assertEquals("cache.example", e.host());
    assertEquals(6380, e.port());
    assertTrue(e.tls());
    assertEquals("app", e.user());
    assertEquals("s3cret", e.password());
    assertEquals(2, e.database());
    assertEquals(RedisEndpoint.TlsVerification.FULL, e.verification());
    RedisEndpoint plain = RedisEndpoint.parse("redis://localhost");
    assertEquals(6379, plain.port());
    assertNull(plain.password());
    assertEquals("pw", RedisEndpoint.parse("redis://:pw@h").password());
    assertNull(RedisEndpoint.parse("redis://:pw@h").user());
    assertEquals("pw", RedisEndpoint.parse("redis://pw@h").password(), "a password alone");
  }

  @Test
  void userInfoIsPercentDecodedAndPlusIsAPlus() {
    assertEquals("a+b", RedisEndpoint.parse("redis://:a+b@host").password());
    assertEquals("p@ss:w/rd%", RedisEndpoint.parse("redis://:p%40ss%3Aw%2Frd%25@host").password());
    assertEquals("pässwörd", RedisEndpoint.parse("redis://:p%C3%A4ssw%C3%B6rd@host").password());
    assertEquals(
        "p@ss", RedisEndpoint.parse("redis://:p@ss@host:1/3").password(), "last @ ends it");
    assertEquals(3, RedisEndpoint.parse("redis://:p@ss@host:1/3").database());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://:50%off@host"));
    assertFalse(bad.getMessage().contains("50"), bad.getMessage());
  }

  @Test
  void aQuestionMarkInAPasswordIsPartOfIt() {
    assertEquals("p?ss", RedisEndpoint.parse("redis://:p?ss@host").password());
    assertEquals(
        RedisEndpoint.TlsVerification.CA,
        RedisEndpoint.parse("rediss://:p?ss@host?verifyPeer=CA").verification());
  }

  @Test
  void formatsAndReadsBack() {
    for (String url :
        new String[] {
          "redis://host:6379",
          "rediss://u:p%40%2B%20w@h:1/4",
          "redis://:a+b@h:6379",
          "rediss://h:6380?verifyPeer=CA",
          "redis://[::1]:6379"
        }) {
      RedisEndpoint e = RedisEndpoint.parse(url);
      assertEquals(e, RedisEndpoint.parse(e.toUrl()), url);
    }
    assertEquals("::1", RedisEndpoint.parse("redis://[::1]:7000").host());
    assertEquals(7000, RedisEndpoint.parse("redis://[::1]:7000").port());
  }

  @Test
  void masksThePasswordEverywhereItPrints() {
    RedisEndpoint e = RedisEndpoint.parse("rediss://app:s3cret@cache:6380/2");
    assertEquals("rediss://app:***@cache:6380/2", e.toString());
    assertEquals("redis://:***@h:6379", RedisEndpoint.redact("redis://:s3cret@h"));
    assertEquals(
        "(a Redis URL that does not parse)", RedisEndpoint.redact("redis://:s3cret@h:port"));
    assertEquals("(a Redis URL that does not parse)", RedisEndpoint.redact("http://:s3cret@h"));
  }

  @Test
  void badUrlsSayWhatIsExpectedAndNeverEchoThePassword() {
    for (String url :
        new String[] {
          "http://:topsecret@h",
          "redis://:topsecret@",
          "redis://:topsecret@h:x",
          "redis://:topsecret@h/zero",
          "redis://:topsecret@h?verifyPeer=maybe",
          "redis://:topsecret@h?x=1",
          "redis://:topsecret@h:99999",
          "topsecret"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse(url), url);
      assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }
  }
}
