package dev.keywarm.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

  private static AgentOptions parse(String args, Map<String, String> props, Map<String, String> env)
      throws InvalidOptionException {
    return AgentOptions.parse(args, props::get, env::get, "fallback");
  }

  @Test
  void defaultsWhenNothingIsGiven() throws Exception {
    AgentOptions options = parse(null, Map.of(), Map.of());
    assertEquals("fallback", options.app());
    assertNull(options.redis());
    assertEquals(Duration.ofSeconds(10), options.flushInterval());
    assertEquals(Duration.ofDays(8), options.retention());
    assertEquals(100_000, options.maxKeys());
    assertTrue(options.recording());
  }

  @Test
  void standingOptionsArePassedOnAsWrittenWithTheirDefaultsAndCheckedAtStart() throws Exception {
    assertEquals(Map.of(), parse(null, Map.of(), Map.of()).standing(), "off by default");
    Map<String, String> standing =
        parse("standing=refresh-ahead+lazy,refreshbelow=0.2", Map.of(), Map.of()).standing();
    assertEquals("refresh-ahead+lazy", standing.get("standing"));
    assertEquals("0.2", standing.get("refreshbelow"));
    assertEquals("30s", standing.get("standinglease"), "defaults are passed too");
    assertEquals(14, standing.size());
    assertEquals("+lazy", parse("standing=+lazy", Map.of(), Map.of()).standing().get("standing"));
    for (String bad :
        new String[] {
          "standing=refresh-behind",
          "standing=lazy,standinglease=5s",
          "standing=lazy,refreshbelow=1",
          "standing=lazy,nexthourlead=1h",
          "standing=lazy,standingrate=0",
          "standing=lazy,lazykeys=0"
        }) {
      InvalidOptionException e =
          assertThrows(InvalidOptionException.class, () -> parse(bad, Map.of(), Map.of()), bad);
      assertTrue(e.getMessage().startsWith("invalid option "), e.getMessage());
    }
  }

  @Test
  void agentArgumentBeatsSystemPropertyBeatsEnvironment() throws Exception {
    AgentOptions options =
        parse(
            "flush=5s",
            Map.of("keywarm.flush", "6s", "keywarm.app", "fromprop"),
            Map.of("KEYWARM_FLUSH", "7s", "KEYWARM_APP", "fromenv", "KEYWARM_MAXKEYS", "500"));
    assertEquals(Duration.ofSeconds(5), options.flushInterval());
    assertEquals("fromprop", options.app());
    assertEquals(500, options.maxKeys());
  }

  @Test
  void parsesDurationsAndRedisUrl() throws Exception {
    AgentOptions options =
        parse(
            "app=shop,redis=rediss://bob:s3cret@cache.internal:6380/2,"
                + "flush=500ms,retention=2h,loadwindow=1m",
            Map.of(),
            Map.of());
    assertEquals(Duration.ofMillis(500), options.flushInterval());
    assertEquals(Duration.ofHours(2), options.retention());
    assertEquals(Duration.ofMinutes(1), options.loadWindow());
    assertTrue(options.redis().tls());
    assertEquals("bob", options.redis().user());
    assertEquals("s3cret", options.redis().password());
    assertEquals(2, options.redis().database());
    assertFalse(options.toString().contains("s3cret"), options.toString());
  }

  @Test
  void malformedValuesNameTheOptionAndTheExpectedForm() {
    assertMessage("flush=abc", "invalid option flush='abc': expected a duration");
    assertMessage("flush=0s", "expected a duration greater than zero");
    assertMessage("maxkeys=lots", "invalid option maxkeys='lots': expected a whole number");
    assertMessage("app=my shop", "invalid option app='my shop'");
    assertMessage("recording=maybe", "expected on or off");
    assertMessage("flsh=10s", "unknown option 'flsh'; known options: app, redis, flush");
    assertMessage("justaword", "expected name=value pairs");
    assertMessage("redis=http://x", "invalid option redis: scheme must be redis:// or rediss://");
  }

  @Test
  void hourlyCapsDefaultToTwoWindowsAndFollowTheWindowBounds() throws Exception {
    AgentOptions defaults = parse(null, Map.of(), Map.of());
    assertEquals(200_000, defaults.hourKeys());
    assertEquals(20_000, defaults.hourPairs());
    AgentOptions raised = parse("maxkeys=300000,maxpairs=50000", Map.of(), Map.of());
    assertEquals(600_000, raised.hourKeys());
    assertEquals(100_000, raised.hourPairs());
    AgentOptions given = parse("maxkeys=1000,hourkeys=1000,hourpairs=25_000", Map.of(), Map.of());
    assertEquals(1000, given.hourKeys());
    assertEquals(25_000, given.hourPairs());
  }

  @Test
  void anHourlyCapBelowOneWindowIsRefusedInOneLine() {
    assertMessage(
        "hourkeys=50000",
        "invalid option hourkeys='50000': expected a whole number from 100000 (maxkeys, one"
            + " window's worth) to 100000000");
    assertMessage(
        "maxpairs=500,hourpairs=499",
        "invalid option hourpairs='499': expected a whole number from 500 (maxpairs");
    assertMessage("hourkeys=many", "invalid option hourkeys='many': expected a whole number");
  }

  @Test
  void aBadRedisUrlNeverEchoesItsPassword() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () -> parse("redis=redis://u:topsecret@host:port/x", Map.of(), Map.of()));
    assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
  }

  @Test
  void anArgumentWithoutANameIsNeverEchoed() {
    // redis= forgotten, and a password holding a comma split across two arguments
    for (String args :
        new String[] {
          "app=shop,redis://:S3cr3tPass@127.0.0.1:6379",
          "app=shop,redis=redis://:S3cr3t,Pass@127.0.0.1:6379",
          "app=shop,redis://:S3cr3tPass@127.0.0.1:6379/0?x=y"
        }) {
      InvalidOptionException e =
          assertThrows(InvalidOptionException.class, () -> parse(args, Map.of(), Map.of()));
      assertFalse(
          e.getMessage().contains("S3cr3t") || e.getMessage().contains("Pass@"), e.getMessage());
      assertTrue(
          e.getMessage().contains("#2 of 2")
              || e.getMessage().contains("#2;")
              || e.getMessage().contains("#3 of 3"),
          e.getMessage());
    }
  }

  @Test
  void durationsOutOfRangeAreOneClearLine() {
    assertMessage(
        "retention=99999999d",
        "invalid option retention='99999999d': expected a duration " + "of at most 366d");
    assertMessage("flush=99999999999999999999s", "invalid option flush=");
    assertMessage("keybytes=12q", "invalid option keybytes='12q'");
    assertMessage("keybytes=1k", "a size from 1m to 16g");
  }

  @Test
  void keyBytesDefaultsToAShareOfTheHeap() throws Exception {
    long bytes = parse("", Map.of(), Map.of()).keyBytes();
    assertTrue(bytes >= 8L << 20 && bytes <= 64L << 20, Long.toString(bytes));
    assertEquals(16L << 20, parse("keybytes=16m", Map.of(), Map.of()).keyBytes());
  }

  @Test
  void theSnapshotNeedsPlainKeysAndAStatsRedisApartFromTheCache() throws Exception {
    String stats = "redis=redis://stats:6379,";
    assertTrue(parse(stats + "warm=on-restart", Map.of(), Map.of()).snapshot(), "auto");
    assertFalse(parse(stats + "warm=on-start", Map.of(), Map.of()).snapshot(), "auto, no restart");
    assertTrue(parse(stats + "snapshot=on", Map.of(), Map.of()).snapshot());
    assertFalse(parse(stats + "warm=always,snapshot=off", Map.of(), Map.of()).snapshot());
    AgentOptions noStats = parse("warm=on-restart", Map.of(), Map.of());
    assertFalse(noStats.snapshot());
    assertTrue(noStats.snapshotRefusal().contains("no stats Redis apart from the cache"));
    AgentOptions sameRedis =
        parse(stats + "cache=redis://stats:6379,warm=on-restart", Map.of(), Map.of());
    assertFalse(sameRedis.snapshot());
    AgentOptions hashed = parse(stats + "warm=on-restart,keys=pattern", Map.of(), Map.of());
    assertTrue(hashed.snapshotRefusal().contains("keys=hashed or keys=pattern"));
    AgentOptions sized =
        parse(
            stats + "snapshotbytes=64m,snapshotvalue=512k,snapshotrate=300,snapshotkeys=5",
            Map.of("keywarm.snapshotnottl", "config:* flags:?"),
            Map.of());
    assertEquals(64L << 20, sized.snapshotBytes());
    assertEquals(512L << 10, sized.snapshotValueBytes());
    assertEquals(300, sized.snapshotRate());
    assertEquals(5, sized.snapshotKeys());
    assertEquals(java.util.List.of("config:*", "flags:?"), sized.snapshotNoTtl());
    assertEquals(0, parse("", Map.of(), Map.of()).snapshotRate(), "auto");
    assertMessage("snapshot=maybe", "invalid option snapshot='maybe': expected auto, on or off");
    assertMessage("snapshotbytes=10k", "a size from 1m to 64g");
    assertMessage("snapshotrate=fast", "invalid option snapshotrate='fast'");
  }

  @Test
  void metricsAreMicrometerWhenPresentAndAPrometheusEndpointOnlyWhenAskedFor()
      throws InvalidOptionException {
    AgentOptions defaults = parse("", Map.of(), Map.of());
    assertEquals(true, defaults.micrometer());
    assertEquals(-1, defaults.prometheusPort());
    assertEquals(100, defaults.metricPatterns());
    AgentOptions port = parse("prometheus=9464,micrometer=off", Map.of(), Map.of());
    assertEquals(9464, port.prometheusPort());
    assertEquals(null, port.prometheusHost());
    assertEquals(false, port.micrometer());
    AgentOptions bound = parse("prometheus=127.0.0.1:0,metricpatterns=20", Map.of(), Map.of());
    assertEquals("127.0.0.1", bound.prometheusHost());
    assertEquals(0, bound.prometheusPort());
    assertEquals(20, bound.metricPatterns());
    assertMessage("prometheus=yes", "invalid option prometheus='yes': expected [host:]port");
    assertMessage("prometheus=70000", "invalid option prometheus='70000'");
    assertMessage("micrometer=on", "invalid option micrometer='on': expected auto or off");
  }

  @Test
  void rewarmIsOffUnlessAskedForAndItsDelayIsADuration() throws InvalidOptionException {
    assertEquals(false, parse("", Map.of(), Map.of()).rewarmOnDelete());
    assertEquals(java.time.Duration.ofSeconds(1), parse("", Map.of(), Map.of()).rewarmDelay());
    AgentOptions on = parse("rewarm=on-delete,rewarmdelay=250ms", Map.of(), Map.of());
    assertEquals(true, on.rewarmOnDelete());
    assertEquals(java.time.Duration.ofMillis(250), on.rewarmDelay());
    assertMessage("rewarm=always", "invalid option rewarm='always': expected off or on-delete");
  }

  private static void assertMessage(String args, String expected) {
    InvalidOptionException e =
        assertThrows(InvalidOptionException.class, () -> parse(args, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void derivesAnAppNameFromTheCommandLine() {
    String name = AgentOptions.defaultAppName();
    assertTrue(name.matches("[A-Za-z0-9._-]{1,64}"), name);
  }
}
