package dev.keywarm.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real redis-server for one test class. {@link #start} uses, in this order: the server in env
 * {@code REDIS_URL}, the redis-server on PATH, or the binary packed in the embedded-redis jar.
 * System property {@code keywarm.test.redis=path|embedded} forces a local binary of that kind.
 */
public final class RedisServer implements AutoCloseable {

  static final String LOCALHOST = "127.0.0.1";
  private static final int RESERVED_PORT = 6379; // the machine's shared Redis: never ours
  private static final long STARTUP_TIMEOUT_MS = 10_000;
  private static final int LOG_TAIL_LINES = 25;

  /** Read once: an external server is a property of the whole test run, not of one test. */
  private static final String EXTERNAL_URL = blankToNull(System.getenv("REDIS_URL"));

  /**
   * Servers with a live process; the shutdown hook kills them so no redis-server outlives the JVM.
   */
  private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(RedisServer::killAllLive, "keywarm-redis-reaper"));
  }

  private final RedisCli.Endpoint endpoint;
  private final String uri;
  private final boolean external;
  // the rest is only set for servers we run ourselves
  private final Path binary;
  private final List<String> extraArgs;
  private final Path dir;
  private volatile Process process;

  private RedisServer(
      RedisCli.Endpoint endpoint,
      String uri,
      boolean external,
      Path binary,
      List<String> extraArgs,
      Path dir) {
    this.endpoint = endpoint;
    this.uri = uri;
    this.external = external;
    this.binary = binary;
    this.extraArgs = extraArgs;
    this.dir = dir;
  }

  /**
   * Returns the external REDIS_URL server, or starts a local one with the extra redis-server args
   * (which always force a local one).
   */
  public static RedisServer start(String... extraArgs) {
    if (EXTERNAL_URL != null && extraArgs.length == 0 && !RedisBinary.forced()) {
      return external(EXTERNAL_URL); // its config is not ours to change, hence no extra args
    }
    return startLocal(extraArgs);
  }

  /** Starts a Sentinel watching {@code master} under {@code masterName} (quorum 1). */
  public static RedisServer startSentinel(String masterName, RedisServer master) {
    return startLocal(
        "--sentinel",
        "--sentinel",
        "monitor",
        masterName,
        master.host(),
        Integer.toString(master.port()),
        "1");
  }

  /** Starts the embedded-redis binary even where redis-server is on PATH. */
  static RedisServer startEmbedded(String... extraArgs) {
    return startLocal(RedisBinary.embedded(), extraArgs);
  }

  /** Starts a redis-server process of our own, ignoring REDIS_URL (clusters need this). */
  static RedisServer startLocal(String... extraArgs) {
    return startLocal(RedisBinary.resolve(), extraArgs);
  }

  private static RedisServer startLocal(Path binary, String... extraArgs) {
    List<String> args = List.of(extraArgs);
    Path dir;
    try {
      dir = Files.createTempDirectory("keywarm-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean clusterBus = isClusterEnabled(args);
    String password = valueOf(args, "--requirepass");
    IllegalStateException lastFailure = null;
    // the port is free when we pick it, but another process may grab it before redis binds it
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort(clusterBus);
      RedisServer server =
          new RedisServer(
              RedisCli.Endpoint.local(port, password),
              localUri(port, password),
              false,
              binary,
              args,
              dir);
      try {
        server.launch();
        return server;
      } catch (PortTaken e) {
        lastFailure = e;
      } catch (RuntimeException e) {
        deleteRecursively(dir);
        throw e;
      }
    }
    deleteRecursively(dir);
    throw lastFailure;
  }

  /** Wraps a server we do not own, given as {@code redis[s]://[user:password@]host[:port][/db]}. */
  static RedisServer external(String url) {
    URI parsed = URI.create(url);
    String scheme = parsed.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("REDIS_URL must be redis:// or rediss://, got " + url);
    }
    String user = null;
    String password = null;
    String userInfo = parsed.getUserInfo(); // already percent-decoded
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = userInfo; // redis://secret@host, as most clients read it
      } else {
        user = blankToNull(userInfo.substring(0, colon));
        password = userInfo.substring(colon + 1);
      }
    }
    String path = parsed.getPath() == null ? "" : parsed.getPath().replace("/", "");
    int db = path.isEmpty() ? 0 : Integer.parseInt(path);
    String host = parsed.getHost() == null ? LOCALHOST : parsed.getHost();
    int port = parsed.getPort() < 0 ? 6379 : parsed.getPort();
    return new RedisServer(
        new RedisCli.Endpoint(host, port, user, password, db, "rediss".equals(scheme)),
        url,
        true,
        null,
        List.of(),
        null);
  }

  /** Host to connect to. */
  public String host() {
    return endpoint.host();
  }

  /** Port to connect to. */
  public int port() {
    return endpoint.port();
  }

  /**
   * Connection URI such as {@code redis://127.0.0.1:6391}, with credentials when the server needs
   * them.
   */
  public String uri() {
    return uri;
  }

  /** False for an external REDIS_URL server, which we may neither stop nor restart. */
  public boolean canRestart() {
    return !external;
  }

  /** Stops the server with SIGTERM and waits for it; its data is gone (no persistence). */
  public synchronized void stop() {
    requireOwned("stop");
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    awaitExit(p);
    LIVE.remove(this);
  }

  /** Kills the server with SIGKILL, simulating a crash. */
  public synchronized void kill() {
    requireOwned("kill");
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    awaitExit(p);
    LIVE.remove(this);
  }

  /** Starts the server again, empty, on the same port (stopping it first if still running). */
  public synchronized void restart() {
    requireOwned("restart");
    stop();
    // the old socket is closed once the process has exited, but be patient with a slow kernel
    for (int attempt = 0; ; attempt++) {
      try {
        launch();
        return;
      } catch (PortTaken e) {
        if (attempt == 5) {
          throw e;
        }
        sleep(200);
      }
    }
  }

  /** True while the server process is alive (for an external server: while it answers PING). */
  public boolean isRunning() {
    if (external) {
      try {
        RedisCli.call(endpoint, "PING");
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Sends one command; returns String, Long, List or null, and throws IllegalStateException on an
   * error reply.
   */
  public Object command(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("no command");
    }
    return RedisCli.call(endpoint, args);
  }

  /**
   * Empties a server we started; refuses an external one, where tests isolate themselves by key
   * prefix.
   */
  public void flushAll() {
    requireOwned("FLUSHALL");
    command("FLUSHALL");
  }

  /** Stops the server and deletes its temp dir; does nothing to an external server. */
  @Override
  public synchronized void close() {
    if (external) {
      return;
    }
    stop();
    deleteRecursively(dir);
  }

  @Override
  public String toString() {
    Process p = process;
    return uri
        + (external
            ? " (external)"
            : " (" + binary.getFileName() + (p == null ? "" : " pid " + p.pid()) + ")");
  }

  // ---- process handling ----

  private void launch() {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--port",
                Integer.toString(port()),
                "--bind",
                LOCALHOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no",
                "--protected-mode",
                "no"));
    if (extraArgs.contains("--sentinel")) {
      // sentinel mode insists on a config file it can rewrite, given right after the binary
      Path config = dir.resolve("sentinel.conf");
      try {
        if (!Files.exists(config)) {
          Files.writeString(config, "");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      cmd.add(1, config.toString());
    }
    cmd.addAll(extraArgs);
    Path log = dir.resolve("redis.log");
    try {
      Files.writeString(
          log,
          "# keywarm: " + String.join(" ", cmd) + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      process =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    }
    LIVE.add(this);
    awaitPing(log);
  }

  private void awaitPing(Path log) {
    Process p = process;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        LIVE.remove(this);
        String tail = tail(log);
        String message =
            "redis-server exited with code "
                + p.exitValue()
                + " while starting on port "
                + port()
                + "; last lines of "
                + log
                + ":\n"
                + tail;
        throw tail.contains("Address already in use")
            ? new PortTaken(message)
            : new IllegalStateException(message);
      }
      try {
        RedisCli.call(endpoint, "PING");
        return;
      } catch (UncheckedIOException notListeningYet) {
        sleep(20);
      } catch (IllegalStateException errorReply) {
        return; // e.g. LOADING: it is up and talking, which is what we wait for
      }
    }
    p.destroyForcibly();
    awaitExit(p);
    LIVE.remove(this);
    throw new IllegalStateException(
        "redis-server did not answer PING on port "
            + port()
            + " within "
            + STARTUP_TIMEOUT_MS
            + " ms; last lines of "
            + log
            + ":\n"
            + tail(log));
  }

  private static void awaitExit(Process p) {
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void killAllLive() {
    for (RedisServer server : LIVE) {
      Process p = server.process;
      if (p != null) {
        p.destroyForcibly();
      }
    }
    for (RedisServer server : LIVE) {
      Process p = server.process;
      if (p != null) {
        try {
          p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          return;
        }
      }
      deleteRecursively(server.dir);
    }
  }

  private void requireOwned(String what) {
    if (external) {
      throw new IllegalStateException(
          "refusing to "
              + what
              + " the external server "
              + uri
              + "; check canRestart() / isolate tests by key prefix");
    }
  }

  // ---- small helpers ----

  /** A free 127.0.0.1 port; cluster nodes also need port+10000 free for the cluster bus. */
  private static int freePort(boolean clusterBus) {
    for (int i = 0; i < 100; i++) {
      int port = bindAndRelease(0);
      if (port == RESERVED_PORT) {
        continue;
      }
      if (!clusterBus) {
        return port;
      }
      int bus = port + 10_000;
      if (bus <= 65_535 && bus != RESERVED_PORT && bindAndRelease(bus) == bus) {
        return port;
      }
    }
    throw new IllegalStateException("no free port found on " + LOCALHOST);
  }

  /** Binds the port (0 = any) and returns it, or -1 when it is taken. */
  private static int bindAndRelease(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOCALHOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean isClusterEnabled(List<String> args) {
    return "yes".equalsIgnoreCase(valueOf(args, "--cluster-enabled"));
  }

  private static String valueOf(List<String> args, String option) {
    int i = args.lastIndexOf(option);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }

  private static String localUri(int port, String password) {
    try {
      return new URI(
              "redis", password == null ? null : ":" + password, LOCALHOST, port, null, null, null)
          .toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp dir is not worth failing a test run for
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Startup failed because another process holds the port; worth retrying. */
  private static final class PortTaken extends IllegalStateException {
    PortTaken(String message) {
      super(message);
    }
  }
}
