package dev.keywarm.springit;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.HashOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * An ordinary Spring Boot application with Spring Cache over Redis and no knowledge of keywarm.
 * Reads products 1..5 twice each, then product 1 three more times, reads and writes one hash field
 * ({@link #profiles}), and prints how often the "database" was hit, per product: usually once each,
 * but a cache whose writes complete asynchronously (Spring Data Redis 4 with Lettuce) can miss
 * again before its first write lands. Redis host, port and client type come in as Spring properties
 * on the command line.
 */
@SpringBootApplication
@EnableCaching
public class ProductApp {

  public static void main(String[] args) throws InterruptedException {
    try (ConfigurableApplicationContext context = SpringApplication.run(ProductApp.class, args)) {
      ProductService products = context.getBean(ProductService.class);
      for (long id = 1; id <= 5; id++) {
        products.product(id);
        products.product(id);
      }
      for (int i = 0; i < 3; i++) {
        products.product(1);
      }
      profiles(context);
      System.out.println("database loads=" + products.loads());
      for (long id = 1; id <= 5; id++) {
        System.out.println("loads of " + id + "=" + products.loads(id));
      }
    }
  }

  /**
   * A hash field through Spring Data Redis's {@code opsForHash()}, the same connection methods as
   * the cache: one miss, the put, two hits on {@code <key-prefix>profiles:1 [name]}.
   */
  private static void profiles(ConfigurableApplicationContext context) {
    StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
    String key = context.getEnvironment().getProperty("spring.cache.redis.key-prefix", "");
    key += "profiles:1";
    HashOperations<String, String, String> hash = redis.opsForHash();
    if (hash.get(key, "name") != null) {
      throw new IllegalStateException(key + " exists before the application wrote it");
    }
    hash.put(key, "name", "ada");
    hash.get(key, "name");
    hash.get(key, "name");
  }

  @Service
  public static class ProductService {
    private final AtomicInteger loads = new AtomicInteger();
    private final java.util.Map<Long, AtomicInteger> loadsById =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Cacheable("products")
    public String product(long id) throws InterruptedException {
      loads.incrementAndGet();
      loadsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      Thread.sleep(5); // the database
      return "product-" + id;
    }

    int loads() {
      return loads.get();
    }

    int loads(long id) {
      AtomicInteger count = loadsById.get(id);
      return count == null ? 0 : count.get();
    }
  }
}
