package dev.keywarm.springit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.KeySchema;
import dev.keywarm.schema.KeySchema.HourlySet;
import dev.keywarm.testsupport.ChildJvm;
import dev.keywarm.testsupport.RedisServerExtension;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spring Data Redis with the Lettuce connection factory and, separately, the Jedis one: an
 * unmodified {@code @Cacheable} application started with {@code -javaagent} leaves its cache keys
 * ({@code products::1}) in the hourly sets with exact hits, misses, writes and loads.
 */
class SpringCacheIT {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @ParameterizedTest(name = "{0} connection factory")
  @ValueSource(strings = {"lettuce", "jedis"})
  void cacheableKeysAreRecorded(String client) throws Exception {
    String app = "it-spring-" + client;
    ChildJvm.Result run =
        ChildJvm.run(
            "app=" + app + ",flush=300ms",
            applicationClassPath(),
            ProductApp.class,
            "--spring.data.redis.host=" + REDIS.server().host(),
            "--spring.data.redis.port=" + REDIS.server().port(),
            "--spring.data.redis.client-type=" + client,
            "--spring.cache.type=redis",
            "--spring.cache.redis.key-prefix=" + client + ":",
            "--spring.main.banner-mode=off");
    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());

    KeySchema schema = KeySchema.forApp(app);
    HourBucket now = HourBucket.ofEpochMillis(System.currentTimeMillis());
    for (long id = 1; id <= 5; id++) {
      String key = client + ":products::" + id;
      long calls = id == 1 ? 5 : 2;
      long loads = loadsOf(run.stdout(), id); // each load is a cache miss followed by a put
      assertEquals(
          calls - loads, score(schema, now, HourlySet.HITS, key), key + " hits\n" + run.stderr());
      assertEquals(loads, score(schema, now, HourlySet.MISSES, key), key + " misses");
      assertEquals(loads, score(schema, now, HourlySet.WRITES, key), key + " writes");
      long timed = score(schema, now, HourlySet.LOADS, key);
      assertTrue(timed >= 1 && timed <= loads, key + " timed loads " + timed + " of " + loads);
    }
  }

  private static long loadsOf(String stdout, long id) {
    for (String line : stdout.split("\\R")) {
      if (line.startsWith("loads of " + id + "=")) {
        return Long.parseLong(line.substring(line.indexOf('=') + 1).trim());
      }
    }
    throw new AssertionError("the application did not report its loads of " + id + ":\n" + stdout);
  }

  private static long score(KeySchema schema, HourBucket now, HourlySet set, String key) {
    long total = 0;
    for (HourBucket hour : List.of(now.plusHours(-1), now)) {
      Object score = REDIS.server().command("ZSCORE", schema.hourly(hour, set), key);
      total += score == null ? 0 : Math.round(Double.parseDouble(score.toString()));
    }
    return total;
  }

  /** The application's class path: this module's test class path without the agent's own jar. */
  private static String applicationClassPath() {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.contains("keywarm-agent"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
