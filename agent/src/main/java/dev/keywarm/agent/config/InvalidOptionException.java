package dev.keywarm.agent.config;

/** A malformed option: its message is the one line the user sees, naming the option and the fix. */
public final class InvalidOptionException extends Exception {
  public InvalidOptionException(String message) {
    super(message);
  }
}
