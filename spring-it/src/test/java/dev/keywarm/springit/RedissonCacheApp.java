package dev.keywarm.springit;

import java.util.Map;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.spring.cache.CacheConfig;
import org.redisson.spring.cache.RedissonSpringCacheManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link ProductApp}'s {@code @Cacheable} service over Redisson's Spring cache, as a Redisson user
 * configures it and with no knowledge of keywarm: {@code RedissonSpringCacheManager}, cache {@code
 * products} kept in one hash, its fields the ids ({@code StringCodec}). Reads products 1..5 twice
 * each, then product 1 three more times, and prints its loads. Not a {@code @Configuration}, so the
 * other applications' component scans never pick up its cache manager. Args: {@code
 * --redisson.address=redis://host:port}.
 */
@EnableAutoConfiguration
@EnableCaching
@Import(ProductApp.ProductService.class)
public class RedissonCacheApp {

  public static void main(String[] args) throws InterruptedException {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(RedissonCacheApp.class)
            .web(WebApplicationType.NONE)
            .run(args)) {
      ProductApp.ProductService products = context.getBean(ProductApp.ProductService.class);
      for (long id = 1; id <= 5; id++) {
        products.product(id);
        products.product(id);
      }
      for (int i = 0; i < 3; i++) {
        products.product(1);
      }
      for (long id = 1; id <= 5; id++) {
        System.out.println("loads of " + id + "=" + products.loads(id));
      }
    }
  }

  @Bean(destroyMethod = "shutdown")
  RedissonClient redisson(@Value("${redisson.address}") String address) {
    Config config = new Config();
    config.useSingleServer().setAddress(address);
    return Redisson.create(config);
  }

  @Bean
  CacheManager cacheManager(RedissonClient redisson) {
    return new RedissonSpringCacheManager(
        redisson, Map.of("products", new CacheConfig()), StringCodec.INSTANCE);
  }
}
