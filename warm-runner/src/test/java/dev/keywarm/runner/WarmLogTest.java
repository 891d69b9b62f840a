package dev.keywarm.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Passwords never reach a log line. */
class WarmLogTest {

  @Test
  void redactsCredentials() {
    assertEquals("redis://user:***@cache:6379/0", WarmLog.redact("redis://user:s3cret@cache:6379/0"));
    assertEquals("rediss://:***@cache:6379", WarmLog.redact("rediss://:s3cret@cache:6379"));
    assertEquals("redis://***@cache", WarmLog.redact("redis://s3cret@cache"));
    assertEquals("redis://cache:6379", WarmLog.redact("redis://cache:6379"));
  }
}
