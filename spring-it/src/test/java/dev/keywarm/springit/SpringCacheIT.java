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
 * Spring Data Redis with the Lettuce connection factory and, separately, the Jedis one: an unmodified
 * {@code @Cacheable} application started with {@code -javaagent} leaves its cache keys
 * ({@code products::1}) in the hourly sets with exact hits, misses, writes and loads.
 */
class SpringCacheIT {

  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  @ParameterizedTest(name = "{0} connection factory")
  @ValueSource(strings = {"lettuce", "jedis"})
  void cacheableKeysAreRecorded(String client) throws Exception {
    String app = "it-spring-" + client;
    ChildJvm.Result run = ChildJvm.run("app=" + app + ",flush=300ms", applicationClassPath(),
        ProductApp.class, "--spring.data.redis.host=" + REDIS.server().host(),
        "--spring.data.redis.port=" + REDIS.server().port(), "--spring.data.redis.client-type=" + client,
        "--spring.cache.type=redis", "--spring.cache.redis.key-prefix=" + client + ":",
        "--spring.main.banner-mode=off");
    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
    assertTrue(run.stdout().contains("database loads=5"), run.stdout());

    KeySchema schema = KeySchema.forApp(app);
    HourBucket now = HourBucket.ofEpochMillis(System.currentTimeMillis());
    for (long id = 1; id <= 5; id++) {
      String key = client + ":products::" + id;
      long hits = id == 1 ? 4 : 1;
      assertEquals(hits, score(schema, now, HourlySet.HITS, key), key + " hits\n" + run.stderr());
      assertEquals(1, score(schema, now, HourlySet.MISSES, key), key + " misses");
      assertEquals(1, score(schema, now, HourlySet.WRITES, key), key + " writes");
      assertEquals(1, score(schema, now, HourlySet.LOADS, key), key + " loads");
    }
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
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    return Arrays.stream(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.contains("keywarm-agent"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
