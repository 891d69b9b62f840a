package dev.keywarm.springit;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Service;

/**
 * An ordinary Spring Boot application with Spring Cache over Redis and no knowledge of keywarm.
 * Reads products 1..5 twice each, then product 1 three more times, and prints how often the
 * "database" was hit, per product: usually once each, but a cache whose writes complete
 * asynchronously (Spring Data Redis 4 with Lettuce) can miss again before its first write lands.
 * Redis host, port and client type come in as Spring properties on the command line.
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
      System.out.println("database loads=" + products.loads());
      for (long id = 1; id <= 5; id++) {
        System.out.println("loads of " + id + "=" + products.loads(id));
      }
    }
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
