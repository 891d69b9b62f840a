package dev.keywarm.springit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link ProductApp}'s cache as a running web application with Actuator and a Prometheus registry
 * on its class path, none of which knows keywarm: reads products 1..5 twice each and product 1
 * three more times, prints "workload done" and its loads per product, then serves (Actuator on
 * {@code --server.port}) until the stop file (last argument) appears, at most 90 s.
 */
@SpringBootApplication
@EnableCaching
public class ProductWebApp {

  public static void main(String[] args) throws Exception {
    Path stop = Path.of(args[args.length - 1]);
    try (ConfigurableApplicationContext context =
        SpringApplication.run(ProductWebApp.class, args)) {
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
      System.out.println("workload done");
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (!Files.exists(stop) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
  }
}
