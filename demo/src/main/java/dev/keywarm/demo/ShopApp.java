package dev.keywarm.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The sample application: a product service that reads through a cache-aside layer on Jedis (or
 * Lettuce, or Redisson: {@link ShopCache}), backed by a {@link SimulatedDatabase} that degrades
 * under load. A request reads a product's detail and, four times in five, its price right after
 * (correlated keys); one in ten also writes a one-off session key, as real traffic does. Popularity
 * follows {@link ShopWorkload}. It knows nothing of keywarm: the agent is attached from outside,
 * and its warm loader is {@link ShopLoaders}.
 *
 * <p><b>Open loop.</b> Requests arrive at a fixed mean rate (Poisson arrivals from a seeded random,
 * so every run sees the same sequence), whatever the shop's latency: users do not slow down because
 * the shop does, and a closed loop (each thread waiting for its last answer) would hide the herd by
 * politely sending less. {@link #WORKERS} request threads serve them (a servlet container's
 * default); a request is given {@link #TIMEOUT_MILLIS} from its arrival and fails as a timeout if
 * it is still waiting then (in the thread pool's queue or for a database connection). Its latency
 * is measured from its arrival, not from when a thread picked it up, so queueing counts. A cache
 * error (the cache Redis down) fails the request at once, as Spring's default cache error handler
 * does.
 *
 * <p>Args: {@code host port seconds rate [hourMillis [jedis|lettuce|redisson [gateFile]]]}. With a
 * gate file, no request arrives until that file says {@code "state":"ready"} (keywarm's readiness
 * file, polled every {@link #GATE_POLL_MILLIS} ms, as a load balancer's health check would):
 * traffic gated on readiness. Prints one line a second for the demo to read: {@code tick <second>
 * requests=… served=… timeouts=… errors=… reads=… hits=… queries=… rows=… warmrows=… dbwait=…
 * hotreads=… hotmisses=… dealreads=… dealmisses=… latency=<histogram>} (counts cumulative; {@code
 * dbwait} the most queries waiting for a connection during the second; {@code latency} that
 * second's {@link LatencyLog}).
 */
public final class ShopApp {

  /** The cache TTL of every product key; {@code -Ddemo.ttl=30} for the standing-warm story. */
  static final int TTL_SECONDS = Integer.getInteger("demo.ttl", 600);

  /**
   * The share of requests that read a deal of the hour ({@link ShopWorkload}), and how many hours
   * ahead the workload's clock runs: {@code -Ddemo.deals=0.3 -Ddemo.hourOffset=1} for the next-hour
   * story's training. Both 0 by default.
   */
  static final double DEAL_SHARE = Double.parseDouble(System.getProperty("demo.deals", "0"));

  static final int HOUR_OFFSET = Integer.getInteger("demo.hourOffset", 0);

  static final int WORKERS = 200;
  static final long TIMEOUT_MILLIS = 250;
  static final long GATE_POLL_MILLIS = 200;

  private static final long TIMEOUT_NANOS = TIMEOUT_MILLIS * 1_000_000;

  private final ShopCache cache;
  private final SimulatedDatabase database = SimulatedDatabase.shared();
  private final LatencyLog latency = new LatencyLog();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong hotReads = new AtomicLong();
  private final AtomicLong hotMisses = new AtomicLong();
  private final AtomicLong dealReads = new AtomicLong();
  private final AtomicLong dealMisses = new AtomicLong();

  private ShopApp(ShopCache cache) {
    this.cache = cache;
  }

  /** One request as it arrives: what it asks for is drawn up front, so every run asks the same. */
  private record Request(
      String deal, int product, boolean withPrice, long sessionId, long dueNanos) {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    double rate = Double.parseDouble(args[3]);
    ShopWorkload workload =
        new ShopWorkload(
            args.length > 4 ? Long.parseLong(args[4]) : 3_600_000, HOUR_OFFSET, DEAL_SHARE);
    String client = args.length > 5 ? args[5] : "jedis";
    Path gate = args.length > 6 ? Path.of(args[6]) : null;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            WORKERS, WORKERS, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), ShopApp::worker);
    try (ShopCache cache = ShopCache.connect(client, host, port)) {
      ShopApp shop = new ShopApp(cache);
      cache.ping(); // the start-up health check of its cache, as Spring Boot's actuator does
      Thread arrivals =
          new Thread(() -> shop.arrive(workers, workload, rate, gate, end), "shop-arrivals");
      arrivals.start();
      for (int second = 1; second <= seconds; second++) {
        // ticks on the second boundary since start, however long printing took
        long sleep = start + second * 1_000_000_000L - System.nanoTime();
        Thread.sleep(Math.max(0, sleep / 1_000_000));
        shop.tick(second);
      }
      arrivals.join();
      workers.shutdown();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private void tick(int second) {
    System.out.printf(
        "tick %d requests=%d served=%d timeouts=%d errors=%d reads=%d hits=%d queries=%d rows=%d"
            + " warmrows=%d dbwait=%d hotreads=%d hotmisses=%d dealreads=%d dealmisses=%d"
            + " latency=%s%n",
        second,
        requests.get(),
        served.get(),
        timeouts.get(),
        errors.get(),
        reads.get(),
        hits.get(),
        database.queries(),
        database.rows(),
        ShopLoaders.WARM_LOADS.get(),
        database.takePeakWaiting(),
        hotReads.get(),
        hotMisses.get(),
        dealReads.get(),
        dealMisses.get(),
        latency.takeEncoded());
  }

  /** Poisson arrivals at {@code rate} per second until {@code end}, once the gate is open. */
  private void arrive(
      ExecutorService workers, ShopWorkload workload, double rate, Path gate, long end) {
    if (gate != null) {
      waitForReadiness(gate, end);
    }
    Random random = new Random(42);
    long due = System.nanoTime();
    while (due < end) {
      long now = System.nanoTime();
      if (due > now) {
        LockSupport.parkNanos(due - now);
        continue;
      }
      long arrival = System.currentTimeMillis();
      String deal = workload.deal(random, arrival);
      Request request =
          new Request(
              deal,
              deal != null ? 0 : workload.product(random, arrival),
              random.nextInt(5) != 0,
              random.nextInt(10) == 0 ? random.nextLong() : 0,
              due);
      requests.incrementAndGet();
      workers.execute(() -> serve(request));
      due += Math.round(-Math.log(1 - random.nextDouble()) / rate * 1e9);
    }
  }

  private void waitForReadiness(Path gate, long end) {
    System.out.println("traffic gated on " + gate.getFileName());
    while (System.nanoTime() < end) {
      try {
        if (Files.isRegularFile(gate)
            && Files.readString(gate, StandardCharsets.UTF_8).contains("\"state\":\"ready\"")) {
          System.out.println("traffic admitted: ready");
          return;
        }
      } catch (java.io.IOException e) {
        // replaced while we read it: look again at the next poll
      }
      LockSupport.parkNanos(GATE_POLL_MILLIS * 1_000_000);
    }
  }

  private void serve(Request request) {
    long deadline = request.dueNanos() + TIMEOUT_NANOS;
    try {
      if (System.nanoTime() > deadline) {
        throw new SimulatedDatabase.Timeout(); // waited for a thread past its timeout
      }
      if (request.deal() != null) {
        readDeal(request.deal(), deadline);
      } else {
        boolean hot = request.product() <= ShopWorkload.CORE;
        read("product:" + request.product() + ":detail", hot, deadline);
        if (request.withPrice()) {
          read("product:" + request.product() + ":price", hot, deadline);
        }
      }
      if (request.sessionId() != 0) {
        cache.setex(
            ("session:" + Long.toHexString(request.sessionId())).getBytes(StandardCharsets.UTF_8),
            60,
            "cart".getBytes(StandardCharsets.UTF_8));
      }
      if (System.nanoTime() > deadline) {
        throw new SimulatedDatabase.Timeout(); // answered, but after the caller gave up
      }
      served.incrementAndGet();
      latency.record(request.dueNanos(), Long.MAX_VALUE);
    } catch (SimulatedDatabase.Timeout e) {
      timeouts.incrementAndGet();
      latency.record(request.dueNanos(), TIMEOUT_NANOS); // the caller gave up at its timeout
    } catch (JedisException
        | io.lettuce.core.RedisException
        | org.redisson.client.RedisException e) {
      // the cache is down (the demo restarts it): a failure, counted apart, and no latency — its
      // instant answer would flatter the percentiles of the second it happens in
      errors.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Cache-aside: GET, and on a miss load from the database and SETEX. {@code hot}: one of the
   * {@link ShopWorkload#CORE} products hot all day (their keys top every hour's plan), counted
   * apart. True on a hit.
   */
  private boolean read(String key, boolean hot, long deadline)
      throws InterruptedException, SimulatedDatabase.Timeout {
    byte[] name = key.getBytes(StandardCharsets.UTF_8);
    byte[] value = cache.get(name);
    reads.incrementAndGet();
    if (hot) {
      hotReads.incrementAndGet();
    }
    if (value != null) {
      hits.incrementAndGet();
      return true;
    }
    if (hot) {
      hotMisses.incrementAndGet();
    }
    byte[] row = database.load(key, deadline);
    if (row != null) {
      cache.setex(name, TTL_SECONDS, row);
    }
    return false;
  }

  /** A deal of the hour, read through the cache like a product, counted apart. */
  private void readDeal(String key, long deadline)
      throws InterruptedException, SimulatedDatabase.Timeout {
    dealReads.incrementAndGet();
    if (!read(key, false, deadline)) {
      dealMisses.incrementAndGet();
    }
  }

  private static Thread worker(Runnable task) {
    Thread thread = new Thread(task, "shop-worker");
    thread.setDaemon(true);
    return thread;
  }
}
