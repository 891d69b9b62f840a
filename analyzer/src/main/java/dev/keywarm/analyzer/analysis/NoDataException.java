package dev.keywarm.analyzer.analysis;

/**
 * No reads for the app in the range: there is nothing to report, and an empty report would mislead.
 */
public final class NoDataException extends RuntimeException {

  public NoDataException(String message) {
    super(message);
  }
}
