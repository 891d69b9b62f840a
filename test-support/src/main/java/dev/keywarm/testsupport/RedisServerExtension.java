package dev.keywarm.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One private {@link RedisServer} per test class: {@code @RegisterExtension static final
 * RedisServerExtension REDIS = new RedisServerExtension();} starts it before the class's first test
 * and stops it after the last.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

  private final String[] extraArgs;
  private RedisServer server;

  public RedisServerExtension(String... extraArgs) {
    this.extraArgs = extraArgs;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.start(extraArgs);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** The running server; only valid while the test class runs. */
  public RedisServer server() {
    if (server == null) {
      throw new IllegalStateException("the Redis server starts before the test class's first test");
    }
    return server;
  }
}
