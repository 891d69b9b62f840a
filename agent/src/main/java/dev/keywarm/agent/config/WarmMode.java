package dev.keywarm.agent.config;

import java.util.Locale;

/** When the agent warms the cache ({@code warm} option). */
public enum WarmMode {
  OFF(false, false),
  ON_START(true, false),
  ON_RESTART(false, true),
  ALWAYS(true, true);

  private final boolean onStart;
  private final boolean onRestart;

  WarmMode(boolean onStart, boolean onRestart) {
    this.onStart = onStart;
    this.onRestart = onRestart;
  }

  public boolean onStart() {
    return onStart;
  }

  public boolean onRestart() {
    return onRestart;
  }

  /** {@code on-start} → ON_START; null if the text names no mode. */
  static WarmMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
