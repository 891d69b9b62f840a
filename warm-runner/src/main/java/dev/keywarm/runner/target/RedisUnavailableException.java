package dev.keywarm.runner.target;

/** A Redis the runner needs stayed unreachable for longer than the configured give-up time. */
public final class RedisUnavailableException extends RuntimeException {

  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
